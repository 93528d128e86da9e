"""ctak: the CPython twin of bench/programs/ctak.sx, Takeuchi's function in
which every call captures its continuation (call/cc) and returns by invoking
it. Python has no call/cc; the nearest equivalent of an escape-only
continuation is an exception: each call makes its own exception object,
raises it carrying the result, and catches it (checking that it is its own,
as invoking a particular continuation would). `size` is (x, y, z)."""

SIZE = (18, 12, 6)
SMALL_SIZE = (14, 8, 4)
EXPECTED = {(18, 12, 6): 7, (14, 8, 4): 5, (12, 8, 4): 5}


class Return(Exception):
    """The continuation of one ctak call: raising it returns `value`."""

    def __init__(self):
        self.value = None


def ctak(x, y, z):
    k = Return()
    try:
        if not y < x:
            k.value = z
        else:
            k.value = ctak(ctak(x - 1, y, z),
                           ctak(y - 1, z, x),
                           ctak(z - 1, x, y))
        raise k
    except Return as e:
        if e is not k:
            raise
        return e.value


def run(size):
    return ctak(*size)
