"""parser: the CPython twin of bench/programs/parser.sx. It generates (with
the same 16-bit linear congruential generator) `size` lines of arithmetic
expressions joined into one str, parses it by recursive descent indexing
into the str (no regular expressions), and evaluates the trees (tuples)
modulo 1000003. The result: the line count, the text's length, the number
of tree nodes and the sum of the values."""

SIZE = 200
SMALL_SIZE = 20
EXPECTED = {200: (200, 54736, 16901, 89800347), 20: (20, 5645, 1766, 9439327)}

MODULUS = 1000003
OPERATORS = (" + ", " - ", " * ")


def generate(count):
    seed = 12345
    pieces = []

    def rand():
        nonlocal seed
        seed = (seed * 25173 + 13849) % 65536
        return seed // 256

    def gen(depth):
        r = rand()
        if depth == 0 or r < 64:
            pieces.append(str(rand()))
        elif r < 80:
            pieces.append("-")
            gen(depth - 1)
        else:
            pieces.append("(")
            gen(depth - 1)
            for _ in range(1 + r % 3):
                pieces.append(OPERATORS[rand() % 3])
                gen(depth - 1)
            pieces.append(")")

    for _ in range(count):
        gen(4)
        for _ in range(rand() % 4):
            pieces.append(OPERATORS[rand() % 3])
            gen(3)
        pieces.append(";\n")
    return "".join(pieces)


class Parser:
    """expr: term (('+' | '-') term)*;  term: factor ('*' factor)*;
    factor: number | '(' expr ')' | '-' factor.  The program is expr ';' ..."""

    def __init__(self, text):
        self.text = text
        self.pos = 0

    def peek(self):
        return self.text[self.pos] if self.pos < len(self.text) else "."

    def skip_spaces(self):
        text = self.text
        while self.pos < len(text) and text[self.pos].isspace():
            self.pos += 1

    def number(self):
        start = self.pos
        while self.peek().isdigit():
            self.pos += 1
        return int(self.text[start:self.pos])

    def factor(self):
        self.skip_spaces()
        c = self.peek()
        if c == "(":
            self.pos += 1
            e = self.expr()
            self.skip_spaces()
            self.pos += 1          # the ')'
            return e
        if c == "-":
            self.pos += 1
            return ("neg", self.factor())
        return self.number()

    def term(self):
        left = self.factor()
        self.skip_spaces()
        while self.peek() == "*":
            self.pos += 1
            left = ("*", left, self.factor())
            self.skip_spaces()
        return left

    def expr(self):
        left = self.term()
        self.skip_spaces()
        c = self.peek()
        while c == "+" or c == "-":
            self.pos += 1
            left = (c, left, self.term())
            self.skip_spaces()
            c = self.peek()
        return left

    def program(self):
        trees = []
        self.skip_spaces()
        while self.pos < len(self.text):
            trees.append(self.expr())
            self.skip_spaces()
            self.pos += 1          # the ';'
            self.skip_spaces()
        return trees


def value(t):
    if isinstance(t, int):
        return t
    op = t[0]
    if op == "+":
        return (value(t[1]) + value(t[2])) % MODULUS
    if op == "-":
        return (value(t[1]) - value(t[2])) % MODULUS
    if op == "*":
        return (value(t[1]) * value(t[2])) % MODULUS
    return -value(t[1]) % MODULUS


def nodes(t):
    if isinstance(t, int):
        return 1
    return 1 + sum(map(nodes, t[1:]))


def run(size):
    text = generate(size)
    trees = Parser(text).program()
    return (len(trees), len(text), sum(map(nodes, trees)), sum(map(value, trees)))
