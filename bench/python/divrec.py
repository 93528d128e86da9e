"""divrec: the CPython twin of bench/programs/divrec.sx, division by 2 of a
number written in unary, a list of n elements: div2 returns every other
element, by non-tail recursion, and is repeated. The list is a linked list
of (head, tail) pairs, with None for the empty list, as in Scheme. `size` is
(n, repetitions); the result is the length of the last quotient."""

SIZE = (1000, 300)
SMALL_SIZE = (1000, 25)
EXPECTED = {(1000, 300): 500, (1000, 25): 500}


def create_n(n):
    lst = None
    for _ in range(n):
        lst = (None, lst)
    return lst


def div2(lst):
    if lst is None:
        return None
    return (lst[0], div2(lst[1][1]))


def length(lst):
    n = 0
    while lst is not None:
        n += 1
        lst = lst[1]
    return n


def run(size):
    n, reps = size
    lst = create_n(n)
    result = None
    for _ in range(reps):
        result = div2(lst)
    return length(result)
