"""closures: the CPython twin of bench/programs/closures.sx, with Python
closures: counters and accumulators keep their state in `nonlocal`
variables, adders and scalers are composed into a pipeline, a fresh closure
is made per element, curried functions are applied one argument at a time,
and a message-passing stack object is driven through its dispatch closure.
"""

from functools import reduce

SIZE = 20000
SMALL_SIZE = 2000
EXPECTED = {
    20000: (20000, 10000000, 20001, 399980000, 600030000, (3334, 9997, 33333333)),
    2000: (2000, 1000000, 2001, 3998000, 6003000, (334, 997, 333333)),
}


def make_counter():
    n = 0

    def counter():
        nonlocal n
        n += 1
        return n
    return counter


def make_accumulator(total):
    def accumulate(x):
        nonlocal total
        total += x
        return total
    return accumulate


def make_adder(k):
    return lambda x: x + k


def make_scaler(k):
    return lambda x: x * k


def compose(f, g):
    return lambda x: f(g(x))


def compose_all(fs):
    return reduce(compose, fs, lambda x: x)


def fold_range(f, init, n):
    """f(acc, i) for i in range(n)."""
    acc = init
    for i in range(n):
        acc = f(acc, i)
    return acc


def curry3(f):
    return lambda a: lambda b: lambda c: f(a, b, c)


def make_stack():
    items = []
    depth = 0

    def stack(msg, *args):
        nonlocal depth
        if msg == "push":
            items.append(args[0])
            depth += 1
        elif msg == "pop":
            depth -= 1
            return items.pop()
        elif msg == "depth":
            return depth
        elif msg == "peek":
            return items[-1]
    return stack


def run(size):
    counter = make_counter()
    accumulate = make_accumulator(0)
    # (x - 1) * 2 + 3 = 2x + 1
    pipeline = compose_all([make_adder(3), make_scaler(2), make_adder(-1)])
    total = 0
    # a counter and an accumulator driven through the pipeline
    for _ in range(size):
        total = accumulate(pipeline(counter()) % 1000)
    after = counter()
    # a fresh adder closure per element
    adders = fold_range(lambda s, i: s + make_adder(i)(i), 0, size)
    # curried application, one closure per argument
    add3 = curry3(lambda a, b, c: a + b + c)
    curried = fold_range(lambda s, i: s + add3(i)(i + 1)(i + 2), 0, size)
    # a stack object: push every element, pop two on every third one
    stack = make_stack()

    def push_and_pop(s, i):
        stack("push", i)
        if i % 3 == 0 and stack("depth") >= 2:
            return s + stack("pop") + stack("pop")
        return s
    popped = fold_range(push_and_pop, 0, size // 2)
    return (size, total, after, adders, curried, (stack("depth"), stack("peek"), popped))
