"""tak: the CPython twin of bench/programs/tak.sx, Takeuchi's function.
`size` is the argument tuple."""

SIZE = (18, 12, 6)
SMALL_SIZE = (12, 8, 4)
EXPECTED = {(18, 12, 6): 7, (12, 8, 4): 5}


def tak(x, y, z):
    if not y < x:
        return z
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))


def run(size):
    return tak(*size)
