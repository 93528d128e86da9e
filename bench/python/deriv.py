"""deriv: the CPython twin of bench/programs/deriv.sx, symbolic
differentiation of polynomials held as nested tuples (str for symbols):
each step builds an expression, differentiates it twice with respect to x
(sum rule, n-ary product rule, no simplification) and adds up the node
counts and numeric constants of both derivatives."""

SIZE = 250
SMALL_SIZE = 25
EXPECTED = {250: 119440, 25: 11878}


def deriv(e):
    if isinstance(e, int):
        return 0
    if isinstance(e, str):
        return 1 if e == "x" else 0
    op = e[0]
    if op == "+" or op == "-":
        return (op,) + tuple(map(deriv, e[1:]))
    if op == "*":
        return deriv_product(e[1:])
    return None


def deriv_product(factors):
    # d(f1 f2 ... fn) = (+ (* f1' f2 ... fn) ... (* f1 f2 ... fn'))
    return ("+",) + tuple(
        ("*",) + factors[:i] + (deriv(f),) + factors[i + 1:]
        for i, f in enumerate(factors)
    )


def nodes(e):
    if isinstance(e, tuple):
        return 1 + sum(map(nodes, e))
    return 1


def constant_sum(e):
    if isinstance(e, int):
        return e
    if isinstance(e, tuple):
        return sum(map(constant_sum, e))
    return 0


def expression(i):
    return ("+",
            ("*", 3 + i % 7, "x", "x", "x"),
            ("*", "a", "x", "x"),
            ("*", "b", "x"),
            ("-", ("*", "x", "y", i % 5), "c", ("*", 2, "x")),
            5 + i % 11)


def run(size):
    total = 0
    for i in range(size):
        d1 = deriv(expression(i))
        d2 = deriv(d1)
        total += nodes(d1) + nodes(d2) + constant_sum(d1) + constant_sum(d2)
    return total
