"""fibfp: the CPython twin of bench/programs/fibfp.sx, the doubly recursive
Fibonacci function on floats: fib(n) = fib(n - 1.0) + fib(n - 2.0), with
every number a float. `size` is the float argument; the result is a float
(exact, as all the values are small integers)."""

SIZE = 26.0
SMALL_SIZE = 21.0
EXPECTED = {26.0: 121393.0, 21.0: 10946.0}


def fibfp(n):
    if n < 2.0:
        return n
    return fibfp(n - 1.0) + fibfp(n - 2.0)


def run(size):
    return fibfp(size)
