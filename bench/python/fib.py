"""fib: the CPython twin of bench/programs/fib.sx, the doubly recursive
Fibonacci function.

A twin (the protocol is in src/sx/bench.py) defines SIZE and SMALL_SIZE, the
SX program's `size` and `small-size` in Python terms (tuples and lists stand
for SX lists); EXPECTED, a dict from size to the result of run(size); and
run(size), the same algorithm written as plain, idiomatic Python.
"""

SIZE = 27
SMALL_SIZE = 21
EXPECTED = {27: 196418, 21: 10946}


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def run(size):
    return fib(size)
