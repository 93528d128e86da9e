"""hof: the CPython twin of bench/programs/hof.sx, with Python's own
higher-order tools: map() over one list and over two, a for loop calling a
closure that counts (nonlocal), linear searches of small association lists
written as next() over a generator (what assv and assoc do), a search with
a comparison function, sum() and a lambda called with *args for apply, and
str.upper for string-map."""

import operator

SIZE = 20000
SMALL_SIZE = 2000
EXPECTED = {20000: 1345678, 2000: 335432}
ROUNDS = 2

TABLE = [(i, i * i) for i in range(16)]
NAMES = [(str(i), i) for i in range(8)]


def one_round(n, k):
    xs = list(range(n))
    squares = list(map(lambda x: x * x, xs))
    sums = list(map(operator.add, xs, squares))
    shifted = list(map(lambda x, y: y - k * x, xs, sums))
    count = 0
    total = 0

    def count_even(x):
        nonlocal count
        if x % 2 == 0:
            count += 1

    def add_square(x):
        nonlocal total
        key = x % 16
        total += next(v for kk, v in TABLE if kk == key)

    def add_name(x):
        nonlocal total
        key = str(x % 8)
        total += next(v for kk, v in NAMES if kk == key)

    for f, items in ((count_even, shifted), (add_square, xs), (add_name, xs)):
        for x in items:
            f(x)
    near = next(i for i, b in enumerate(xs) if 50 == b // 3)
    doubled = list(map(lambda x: 2 * x, xs))
    vsum = 0

    def add(x):
        nonlocal vsum
        vsum += x
    for x in doubled:
        add(x)
    word = "higher-order procedures".upper()
    chunk = sum(map(lambda x: x % 7, xs))
    picked = (lambda *args: len(args))(*xs)
    return (count + total + xs[near] + vsum + len(word) + ord(word[3]) + chunk + picked
            + max(sums[n - 3:])) % 1000003


def run(size):
    return sum(one_round(size, k) for k in range(ROUNDS))
