"""Tier 2's generated Python compiles without warnings: a SyntaxWarning there
(`is` with a number literal, which Python may also fold from an expression
of literals) is printed to the user's stderr, and says the identity test was
wrong for numbers anyway."""

import io
import warnings
from contextlib import redirect_stdout

import pytest

from sx.api import Runtime

PROGRAMS = [
    # eq?/eqv? against integer expressions of constants (found by the
    # random-program test: `s2 is (10**20 - 10**20)`)
    "(define (f x) (list (eqv? x (- 100000000000000000000 100000000000000000000))"
    " (eq? x (+ 1 2)) (eqv? (* 2 3) x) (eq? x 2.5) (eqv? x 1.5) (eqv? x #\\a)))"
    " (display (list (f 0) (f 3) (f 6)))",
    "(define (g x) (case x ((1 2) 'small) ((a b) 'sym) ((#\\c) 'char) (else 'other)))"
    " (display (map g (list 1 'a #\\c 3.0)))",
    "(define (h x) (list (memv x '(1 2 3)) (memv x '(a b)) (equal? x 5) (equal? x 'q)))"
    " (display (h 2))",
    # a boolean against a number: identity must not win (r6_01_equivalence/equal.sx)
    "(display (list (equal? #t 1) (equal? #f 0) (eqv? #t 1) (eq? #f 0) (eqv? 'a 1.5)))",
]


@pytest.mark.parametrize("text", PROGRAMS)
def test_generated_python_compiles_without_warnings(text):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with redirect_stdout(io.StringIO()):
            Runtime("py").eval_string(text)
    assert [str(w.message) for w in caught if issubclass(w.category, SyntaxWarning)] == []
