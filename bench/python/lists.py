"""lists: the CPython twin of bench/programs/lists.sx, on Python lists.

Each round builds a list, maps and filters it (comprehensions), concatenates
the two halves, merges them (a hand-written merge of two ascending lists, as
in the SX program), reverses, and sums, with a position-weighted checksum so
that order matters.
"""

SIZE = 10000
SMALL_SIZE = 2000
EXPECTED = {10000: 302044869, 2000: 13960995}
ROUNDS = 2


def merge(a, b):
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        if b[j] < a[i]:
            out.append(b[j])
            j += 1
        else:
            out.append(a[i])
            i += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out


def checksum(xs):
    s = 0
    for i, x in enumerate(xs, 1):
        s = (s + i * x) % 1000003
    return s


def one_round(n, k):
    xs = list(range(n))
    scaled = [3 * x + k for x in xs]
    evens = [x for x in scaled if x % 2 == 0]
    odds = [x for x in scaled if x % 2 == 1]
    both = evens + odds
    merged = merge(evens, odds)
    down = merged[::-1]
    return len(both) + sum(down) + checksum(merged) + down[0]


def run(size):
    return sum(one_round(size, k) for k in range(ROUNDS))
