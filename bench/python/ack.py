"""ack: the CPython twin of bench/programs/ack.sx, the Ackermann function.
`size` is the argument tuple; the recursion is about as deep as the result
(510 frames for (3, 6)), well inside CPython's default limit."""

SIZE = (3, 6)
SMALL_SIZE = (3, 5)
EXPECTED = {(3, 6): 509, (3, 5): 253}


def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))


def run(size):
    return ack(*size)
