"""sum: the CPython twin of bench/programs/sum.sx, the sum of the integers
0..n by a counting loop (the named let of the SX program), repeated.
`size` is (n, repetitions); the result is the last sum. The loop is written
out, not sum(range(...)), as the benchmark is about the loop."""

SIZE = (10000, 60)
SMALL_SIZE = (1000, 60)
EXPECTED = {(10000, 60): 50005000, (1000, 60): 500500}


def sum_to(n):
    acc = 0
    for i in range(n, -1, -1):
        acc += i
    return acc


def run(size):
    n, reps = size
    result = None
    for _ in range(reps):
        result = sum_to(n)
    return result
