"""cpstak: the CPython twin of bench/programs/cpstak.sx, Takeuchi's function
in continuation-passing style: every call takes an explicit continuation (a
closure) and passes its result to it instead of returning. `size` is the
argument tuple (x, y, z).

In CPS every call is a tail call, so the Scheme program runs in constant
stack; CPython has no tail calls (the chain is as deep as the whole
computation), so the twin runs on a trampoline: a tail call is returned as a
(procedure, arguments) pair for the loop in run() to make.
"""

SIZE = (18, 12, 6)
SMALL_SIZE = (14, 8, 4)
EXPECTED = {(18, 12, 6): 7, (14, 8, 4): 5, (12, 8, 4): 5}


def cpstak(x, y, z, k):
    if not y < x:
        return k, (z,)
    return cpstak, (x - 1, y, z,
                    lambda v1: (cpstak, (y - 1, z, x,
                        lambda v2: (cpstak, (z - 1, x, y,
                            lambda v3: (cpstak, (v1, v2, v3, k)))))))


def run(size):
    x, y, z = size
    proc, args = cpstak, (x, y, z, lambda v: (None, v))
    while proc is not None:
        proc, args = proc(*args)
    return args
