"""interp: the CPython twin of bench/programs/interp.sx, a small evaluator
for a tiny Scheme-like language (numbers, variables, if, lambda, let,
application; primitives + - * < =) running a program held as nested tuples
(str for symbols): a self-applied recursive fib of n, added through a
closure to a self-applied loop summing squares. Environments are chained
dicts, closures instances of a small class, primitives Python functions."""

import operator

SIZE = 17
SMALL_SIZE = 12
EXPECTED = {17: 209932, 12: 73954}

PROGRAM = (
    "let", (("fib", ("lambda", ("self", "k"),
                     ("if", ("<", "k", 2),
                      "k",
                      ("+", ("self", "self", ("-", "k", 1)),
                       ("self", "self", ("-", "k", 2)))))),
            ("sum-squares", ("lambda", ("self", "i", "acc"),
                             ("if", ("=", "i", 0),
                              "acc",
                              ("self", "self", ("-", "i", 1),
                               ("+", "acc", ("*", "i", "i"))))))),
    ("let", (("add", ("lambda", ("a",), ("lambda", ("b",), ("+", "a", "b")))),),
     (("add", ("fib", "fib", "n")),
      ("sum-squares", "sum-squares", ("*", "n", 5), 0))))


class Env(dict):
    """A frame of bindings, with the frame it extends."""

    def __init__(self, names, values, outer=None):
        super().__init__(zip(names, values))
        self.outer = outer

    def lookup(self, name):
        env = self
        while name not in env:
            env = env.outer
        return env[name]


class Closure:
    __slots__ = ("params", "body", "env")

    def __init__(self, params, body, env):
        self.params, self.body, self.env = params, body, env


def evaluate(x, env):
    if isinstance(x, str):
        return env.lookup(x)
    if isinstance(x, int):
        return x
    op = x[0]
    if op == "if":
        return evaluate(x[2] if evaluate(x[1], env) is not False else x[3], env)
    if op == "lambda":
        return Closure(x[1], x[2], env)
    if op == "let":
        bindings = x[1]
        return evaluate(x[2], Env([name for name, _ in bindings],
                                  [evaluate(init, env) for _, init in bindings],
                                  env))
    f = evaluate(op, env)
    args = [evaluate(arg, env) for arg in x[1:]]
    if isinstance(f, Closure):
        return evaluate(f.body, Env(f.params, args, f.env))
    return f(*args)


def run(n):
    env = Env(("+", "-", "*", "<", "=", "n"),
              (operator.add, operator.sub, operator.mul, operator.lt,
               operator.eq, n))
    return evaluate(PROGRAM, env)
