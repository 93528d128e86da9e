"""tak: the CPython twin of bench/programs/tak.sx, Takeuchi's function.
`size` is the argument tuple."""

SIZE = (22, 16, 8)
SMALL_SIZE = (18, 12, 6)
EXPECTED = {(22, 16, 8): 9, (18, 12, 6): 7}


def tak(x, y, z):
    if not y < x:
        return z
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))


def run(size):
    return tak(*size)
