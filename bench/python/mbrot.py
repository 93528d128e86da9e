"""mbrot: the CPython twin of bench/programs/mbrot.sx, Mandelbrot escape
counts (at most 64 iterations of z <- z^2 + c) on a size x size grid over
[-2, 1] x [-1.5, 1.5], with Python floats in the same order of operations;
the result is the total iteration count."""

SIZE = 120
SMALL_SIZE = 32
EXPECTED = {120: 213476, 32: 15311}

MAX_ITERATIONS = 64


def escape_count(cr, ci):
    zr = zi = 0.0
    for k in range(MAX_ITERATIONS):
        zr2 = zr * zr
        zi2 = zi * zi
        if zr2 + zi2 > 4.0:
            return k
        zr, zi = zr2 - zi2 + cr, 2.0 * (zr * zi) + ci
    return MAX_ITERATIONS


def run(size):
    step = 3.0 / size
    total = 0
    for i in range(size):
        ci = -1.5 + i * step
        for j in range(size):
            total += escape_count(-2.0 + j * step, ci)
    return total
