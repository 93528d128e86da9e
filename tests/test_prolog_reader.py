"""The Prolog guest's term reader and writer (guests/prolog/src/syntax.sx).

1. Each SX program of guests/prolog/tests/ (but lib.sx, which they share)
   must print exactly its .out file under every tier. The .out files were
   made under cek and checked by hand; regenerate one after a deliberate
   change with `python tests/test_prolog_reader.py NAME...`.
2. A hypothesis test builds random terms (every kind of atom, operators as
   functors, numbers of every size, floats with infinities and -0.0,
   strings, shared variables, partial lists), writes each with writeq,
   reads it back and checks that the term read is a variant of the one
   written and writes the same text (and that write_canonical's text reads
   back as a variant too), under cek and under py (tier 2), which must
   print the same.
3. Random text (pieces of tokens put together): every clause reads or is a
   syntax error, never another SX error, the same under cek and py; and
   terms nested 20000 deep (2000 under cek) read and write.
"""

from __future__ import annotations

import io
import math
import os
import sys
from contextlib import redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sx.api import TIERS, Runtime, system_environment
from sx.errors import SchemeError, SxExit
from sx.report import format_error

system_environment()   # raises the recursion limit before hypothesis runs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "guests", "prolog", "tests")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".sx") and f != "lib.sx")
EXAMPLES = int(os.environ.get("SX_PROLOG_EXAMPLES", "40"))


def run_program(name: str, tier: str) -> tuple[str, str]:
    """(stdout, first line of the error report or '') of one test program."""
    buf = io.StringIO()
    err = ""
    cwd = os.getcwd()
    os.chdir(HERE)                     # programs open their data files relatively
    try:
        with redirect_stdout(buf):
            try:
                Runtime(tier).run_file(os.path.join(HERE, name + ".sx"))
            except SxExit as e:
                err = f"exit {e.code}"
            except SchemeError as e:
                err = format_error(e).splitlines()[0]
    finally:
        os.chdir(cwd)
    return buf.getvalue(), err


def expected(name: str) -> str:
    with open(os.path.join(HERE, name + ".out"), encoding="utf-8") as fh:
        return fh.read()


def test_there_are_programs():
    assert len(PROGRAMS) >= 8
    for name in PROGRAMS:
        assert os.path.exists(os.path.join(HERE, name + ".out")), name


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("name", PROGRAMS)
def test_program(name, tier):
    out, err = run_program(name, tier)
    assert err == ""
    assert out == expected(name)


def test_round_trip_program_has_hundreds_of_cases_and_no_failure():
    out = expected("roundtrip")
    assert sum(1 for line in out.splitlines() if line.startswith("ok ")) >= 500
    assert "FAIL" not in out
    assert out.rstrip().endswith("round trips failed: 0")


# ---------------------------------------------------------------- random terms

def sx_string(s: str) -> str:
    """An SX string literal for s (non-ASCII and controls as \\x..;)."""
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            out.append(f"\\x{ord(ch):x};")
    out.append('"')
    return "".join(out)


def sx_float(x: float) -> str:
    if math.isnan(x):
        return "+nan.0"
    if math.isinf(x):
        return "+inf.0" if x > 0 else "-inf.0"
    return repr(x)


# Every operator of the standard table, and atoms that need care.
OPERATORS = [":-", "-->", "?-", ";", "|", "->", "*->", ",", "dynamic", "discontiguous",
             "initialization", "table", ":=", "\\+", "=", "\\=", "==", "\\==", "@<", "@>",
             "@=<", "@>=", "=..", "is", "=:=", "=\\=", "<", ">", "=<", ">=", ">:<", ":<", "as",
             "=@=", "\\=@=", ":", "+", "-", "/\\", "\\/", "xor", "*", "/", "//", "rem", "mod",
             "div", "<<", ">>", "rdiv", "**", "^", "\\", "$"]
SPECIAL_ATOMS = ["[]", "{}", "", ",", "|", ";", "!", ".", "a", "A", "_", "_a", "hello world",
                 "\n", "\\", "'", '"', "`", "/*", "%", "é", "Été", "中", "[|]", "...", "$VAR",
                 "a.b", "+.", "0", "1a", "don't", "tab\there", "\x00", "\x7f", "ab/*cd"]
ALPHABET = st.sampled_from(list("aZ_09+-*/\\^<>=~:.?@#&$;!,|%'\"` \n\t()[]{}éλ中\x01"))

names = st.one_of(st.sampled_from(OPERATORS), st.sampled_from(SPECIAL_ATOMS),
                  st.text(ALPHABET, max_size=4))

leaves = st.one_of(
    names.map(lambda n: f"(a {sx_string(n)})"),
    st.integers(min_value=-10**25, max_value=10**25).map(lambda n: f"(i {n})"),
    st.integers(min_value=-3, max_value=3).map(lambda n: f"(i {n})"),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda x: f"(f {sx_float(x)})"),
    st.text(ALPHABET, max_size=4).map(lambda s: f"(s {sx_string(s)})"),
    st.integers(min_value=0, max_value=2).map(lambda k: f"(v {k})"),
)


def compounds(children):
    # operators with the arities that make them operator terms, and others
    return st.one_of(
        st.tuples(names, st.lists(children, min_size=1, max_size=3)).map(
            lambda t: f"(c {sx_string(t[0])} {' '.join(t[1])})"),
        st.tuples(st.sampled_from(OPERATORS), children, children).map(
            lambda t: f"(c {sx_string(t[0])} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(OPERATORS + ["{}", "$VAR"]), children).map(
            lambda t: f"(c {sx_string(t[0])} {t[1]})"),
        st.tuples(st.lists(children, min_size=1, max_size=4),
                  st.one_of(st.just("(a \"[]\")"), children)).map(
            lambda t: f"(l ({' '.join(t[0])}) {t[1]})"),
    )


terms = st.recursive(leaves, compounds, max_leaves=14)

HARNESS = r"""
(include "%s")
(dict-set! flags 'double_quotes 'string)
(define (decode d vars)
  (case (car d)
    ((a) (string->symbol (cadr d)))
    ((i f) (cadr d))
    ((s) (string-copy (cadr d)))
    ((v) (vector-ref vars (cadr d)))
    ((c) (pl-make-compound (string->symbol (cadr d))
                           (map (lambda (x) (decode x vars)) (cddr d))))
    ((l) (pl-list (map (lambda (x) (decode x vars)) (cadr d)) (decode (caddr d) vars)))))
(define (check-terms items)
  (for-each
   (lambda (d)
     (let* ((vars (vector (make-pl-var) (make-pl-var) (make-pl-var)))
            (t (decode d vars))
            (s1 (writeq-exact t '()))
            (r (guard (e (#t (error-text e))) (read-text (string-append s1 " .")))))
       (display
        (cond ((string? r) (string-append "FAIL " s1 "  =>  " r))
              ((not (pl-variant? t (vector-ref r 0)))
               (string-append "FAIL " s1 "  =>  not a variant: "
                              (writeq-exact (vector-ref r 0) (vector-ref r 1))))
              ((not (string=? s1 (writeq-exact (vector-ref r 0) (vector-ref r 1))))
               (string-append "FAIL " s1 "  =>  "
                              (writeq-exact (vector-ref r 0) (vector-ref r 1))))
              ;; write_canonical's text must read back too
              ((not (let* ((c (pl-write-canonical-string t ops))
                           (rc (guard (e (#t #f)) (read-text (string-append c " .")))))
                      (and rc (pl-variant? t (vector-ref rc 0)))))
               (string-append "FAIL canonical " (pl-write-canonical-string t ops)))
              (else (string-append "ok " s1))))
       (newline)))
   items))
;; Read every clause of a text: what each gives (its writeq or its syntax
;; error) on one line; "INTERNAL" for any other SX error, "LOOP" if the
;; reader never reaches the end, "PORT" if reading the text from a port
;; gives something else.
(define (fuzz-clauses rd)
  (let loop ((k 0) (acc '()))
    (let ((r (guard (e ((pl-error-ball e) (error-text e))
                       (#t (string-append "INTERNAL " (condition/report-string e))))
               (pl-read-term rd))))
      (cond ((and (string? r) (string-prefix? "INTERNAL" r)) r)
            ((> k 1000) "LOOP")
            ((string? r) (loop (+ k 1) (cons r acc)))
            ((eq? (vector-ref r 0) 'end_of_file) (string-join (reverse acc) " | "))
            (else (loop (+ k 1) (cons (writeq-numbered (vector-ref r 0) (vector-ref r 3)) acc)))))))
;; writeq with the variables named _V1, _V2... in the order read (so that
;; the text does not depend on the variables' serial numbers)
(define (writeq-numbered t variables)
  (let ((o (make-pl-write-options ops #t #f #f 0)))
    (vector-set! o 5 (let loop ((vs (pl-list->sx variables)) (i 1) (acc '()))
                       (if (null? vs)
                           acc
                           (loop (cdr vs) (+ i 1)
                                 (cons (cons (car vs) (string-append "_V" (number->string i)))
                                       acc)))))
    (pl-write-term-string t o)))
(define (fuzz-read text)
  (let ((from-string (fuzz-clauses (make-pl-reader text ops flags)))
        (from-port (fuzz-clauses (make-pl-port-reader (open-input-string text) ops flags))))
    (display from-string)
    (unless (string=? from-string from-port)
      (display "  PORT ") (display from-port))
    (newline)))
(define (fuzz-texts texts) (for-each fuzz-read texts))
""" % os.path.join(HERE, "lib.sx").replace("\\", "\\\\")

_RUNTIMES: dict[str, Runtime] = {}


def runtime(tier: str) -> Runtime:
    if tier not in _RUNTIMES:
        rt = Runtime(tier)
        with redirect_stdout(io.StringIO()):
            rt.eval_string(HARNESS)
        _RUNTIMES[tier] = rt
    return _RUNTIMES[tier]


def check(items: list[str], tier: str) -> str:
    buf = io.StringIO()
    with redirect_stdout(buf):
        runtime(tier).eval_string("(check-terms '(%s))" % " ".join(items))
    return buf.getvalue()


JIT_TIER = "py" if "py" in TIERS else TIERS[-1]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(terms, min_size=1, max_size=12))
def test_writeq_reads_back(items):
    reference = check(items, "cek")
    failures = [line for line in reference.splitlines() if not line.startswith("ok ")]
    assert not failures, "\n".join(failures)
    assert len(reference.splitlines()) == len(items)
    assert check(items, JIT_TIER) == reference


# Pieces of Prolog text, tokens and fragments of tokens, put together at random.
PIECES = list("aZ_09+-*/\\^<>=~:.?@#&$;!,|%'\"` \n\t()[]{}éλ\x01") + [
    "0'", "0x", "0b1", "/*", "*/", "\\x", ". ", "'\\", "1.0e", "1.5", ":-", "- 1", "-1",
    "f(", "X", "_", "[]", "{}", "\"ab\"", "'a b'", "0'\\n", "1.0Inf", "\\+", " . ", "%c\n"]
texts = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(texts, min_size=1, max_size=20))
def test_any_text_reads_or_is_a_syntax_error(batch):
    """Random text: each clause is a term or a syntax error (never another
    SX error, never a reader that does not reach the end), the same read
    from a port as from the string, and the same under cek and py."""
    items = " ".join(sx_string(t) for t in batch)
    buf = io.StringIO()
    with redirect_stdout(buf):
        runtime("cek").eval_string(f"(fuzz-texts (list {items}))")
    reference = buf.getvalue()
    for bad in ("INTERNAL", "LOOP", "  PORT "):
        assert bad not in reference, reference
    assert len(reference.splitlines()) == len(batch)
    buf = io.StringIO()
    with redirect_stdout(buf):
        runtime(JIT_TIER).eval_string(f"(fuzz-texts (list {items}))")
    assert buf.getvalue() == reference


@pytest.mark.parametrize("tier,k", [("cek", 2000), (JIT_TIER, 20000)])
def test_deep_terms(tier, k):
    """Terms nested k deep read and write (the reader and the writer
    recurse in SX, which has no small depth limit). The CEK reads about 4000
    tokens a second, hence its smaller k."""
    cases = [("f(" * k + "a" + ")" * k, 3 * k + 1), ("[" * k + "]" * k, 2 * k),
             ("- " * k + "a", 2 * k), ("a^" * k + "a", 2 * k + 1),
             ("(" * k + "a" + ")" * k, 1), ("a" + ",a" * k, 2 * k + 1)]
    rt = runtime(tier)
    for text, size in cases:
        got = rt.eval_string(f"(string-length (writeq-exact (pl-read (make-pl-reader "
                             f"{sx_string(text + ' .')} ops flags)) '()))")
        assert got == size


def test_random_terms_cover_the_hard_cases():
    """The generator reaches operators, quoted atoms and negative numbers."""
    seen: list[str] = []

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(terms, min_size=5, max_size=12))
    def collect(ts):
        seen.extend(ts)

    collect()
    text = "\n".join(check(seen, "cek").splitlines())
    assert "FAIL" not in text
    assert len(seen) >= 300
    for needle in ["'", "(i -", "(f -", "(c \"-\"", "(c \":-\"", "(c \",\"", "(l (", "(v ", "(s "]:
        assert any(needle in t for t in seen), needle


if __name__ == "__main__":   # regenerate the .out files named (all by default), under cek
    for name in sys.argv[1:] or PROGRAMS:
        out, err = run_program(name, "cek")
        if err:
            sys.exit(f"{name}: {err}")
        with open(os.path.join(HERE, name + ".out"), "w", encoding="utf-8") as fh:
            fh.write(out)
        print(f"wrote {name}.out ({len(out.splitlines())} lines)")
