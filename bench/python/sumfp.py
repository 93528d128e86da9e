"""sumfp: the CPython twin of bench/programs/sumfp.sx, the sum of the numbers
0..n on floats: a loop whose counter and accumulator are both floats
(counting down from float(n) by 1.0), repeated. `size` is (n, repetitions);
the result is the last sum, a float (exact, as it stays below 2**53)."""

SIZE = (10000, 60)
SMALL_SIZE = (1000, 60)
EXPECTED = {(10000, 60): 50005000.0, (1000, 60): 500500.0}


def sumfp(n):
    i = float(n)
    acc = 0.0
    while i >= 0.0:
        acc = i + acc
        i -= 1.0
    return acc


def run(size):
    n, reps = size
    result = None
    for _ in range(reps):
        result = sumfp(n)
    return result
