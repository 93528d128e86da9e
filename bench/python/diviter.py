"""diviter: the CPython twin of bench/programs/diviter.sx, division by 2 of a
number written in unary, a list of n elements: div2 collects every other
element with a loop (the SX program's `do`), and is repeated. The list is a
linked list of (head, tail) pairs, with None for the empty list, as in
Scheme; like the SX loop, div2 conses the result onto the front. `size` is
(n, repetitions); the result is the length of the last quotient."""

SIZE = (1000, 600)
SMALL_SIZE = (1000, 100)
EXPECTED = {(1000, 600): 500, (1000, 100): 500}


def create_n(n):
    lst = None
    for _ in range(n):
        lst = (None, lst)
    return lst


def div2(lst):
    result = None
    while lst is not None:
        result = (lst[0], result)
        lst = lst[1][1]
    return result


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
