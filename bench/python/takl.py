"""takl: the CPython twin of bench/programs/takl.sx, Takeuchi's function on
lists: the numbers are lists whose lengths stand for them (listn(n) is the
list n, n-1, ..., 1), "x - 1" is the tail of x and "y < x" is shorter(y, x),
a walk down both lists. The lists are linked lists of (head, tail) pairs,
with None for the empty list, so that taking a tail shares structure as in
Scheme. `size` is the tuple of the three lengths; the result is the length
of the list mas returns.
"""

SIZE = (18, 12, 6)
SMALL_SIZE = (14, 9, 4)
EXPECTED = {(18, 12, 6): 7, (14, 9, 4): 9, (12, 8, 4): 5}


def listn(n):
    lst = None
    for i in range(1, n + 1):
        lst = (i, lst)
    return lst


def shorter(x, y):
    """Is the list x shorter than the list y?"""
    while x is not None and y is not None:
        x = x[1]
        y = y[1]
    return y is not None


def mas(x, y, z):
    if not shorter(y, x):
        return z
    return mas(mas(x[1], y, z), mas(y[1], z, x), mas(z[1], x, y))


def length(lst):
    n = 0
    while lst is not None:
        n += 1
        lst = lst[1]
    return n


def run(size):
    x, y, z = size
    return length(mas(listn(x), listn(y), listn(z)))
