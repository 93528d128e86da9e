"""The expander and the analysis on hostile code (issue 17): code nested
deeper than the Python stack allows, and circular code, whatever the
recursion limit the process runs with. The conformance programs in
tests/conformance/hostile/ cover the messages; these need a recursion limit
set for the test, or timing, which a program cannot do."""

from __future__ import annotations

import contextlib
import os
import sys
import time

import pytest

from sx import analysis, ir
from sx.api import TIERS, Runtime, system_environment
from sx.errors import SxSyntaxError
from sx.reader import read_all
from sx.values import NIL, Pair, intern

system_environment()


@contextlib.contextmanager
def recursion_limit(n: int):
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(n)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def deep_program(n: int) -> str:
    return "(define x 1)\n(define (f) " + "(+ 1 " * n + "x" + ")" * n + ")\n"


@pytest.mark.parametrize("tier", TIERS)
def test_too_deep_is_a_located_syntax_error_in_every_tier(tier):
    rt = Runtime(tier)                       # (py raises the limit when made)
    forms, srcmap = read_all(deep_program(3000), "deep.sx")
    with recursion_limit(2000), pytest.raises(SxSyntaxError) as info:
        rt.run_forms(forms, srcmap, "deep.sx")
    assert str(info.value) == "nesting too deep"
    file, line, col = info.value.loc
    assert (file, line) == ("deep.sx", 2) and col > 3000   # the deepest part, not the define
    assert rt.lookup("x") == 1               # the forms before it ran


def test_too_deep_for_eval_is_catchable():
    rt = Runtime("cek")
    rt.eval_string("(define (nest n e) (if (= n 0) e (nest (- n 1) (list '+ 1 e))))")
    with recursion_limit(2000):
        got = rt.eval_string("(guard (e (#t (error-object-message e))) (eval (nest 5000 0)))")
    assert got.s == "nesting too deep"


def test_nesting_that_fits_works():
    rt = Runtime("cek")
    with recursion_limit(100000):
        assert rt.eval_string(deep_program(5000) + "(f)") == 5001


def test_analysis_too_deep_is_located():
    node = ir.Const(0, ("deep.sx", 9, 9))
    for _ in range(5000):
        node = ir.If(ir.Const(True), node, ir.Const(1))
    with recursion_limit(2000), pytest.raises(SxSyntaxError) as info:
        analysis.analyse(node)
    assert "nesting too deep" in str(info.value) and info.value.loc == ("deep.sx", 9, 9)


def test_analysis_deep_binders_are_linear():
    # 3000 nested lets once copied a list of their frames at every level
    var, node = None, None
    for i in range(3000):
        v = ir.Var(intern(f"v{i}"))
        body = ir.LocalRef(var) if var is not None else ir.Const(0)
        node = ir.Let([v], [ir.Const(i)], body if node is None else node)
        var = v
    with recursion_limit(50000):
        analysis.analyse(ir.Let([ir.Var(intern("top"))], [ir.Const(0)], node))


def cyclic_list(n: int):
    """(list 1 2 ... n) whose last cdr points back to its first pair."""
    head = Pair(intern("list"), NIL)
    p = head
    for i in range(n):
        p.cdr = Pair(i, NIL)
        p = p.cdr
    p.cdr = head
    return head


@pytest.mark.parametrize("limit", [1500, 20000, 1000000])
def test_cycles_are_found_quickly_at_any_recursion_limit(limit):
    rt = Runtime("cek")
    car_cycle = read_all("(define (g) (car #0=(list 1 #0#)))")[0][0][0]
    for datum in (car_cycle, cyclic_list(3), cyclic_list(10000)):
        t = time.perf_counter()
        with recursion_limit(limit), pytest.raises(SxSyntaxError) as info:
            rt.eval_datum(datum)
        assert str(info.value) == "cyclic structure in source"
        assert time.perf_counter() - t < 2


def test_cycle_deep_inside_a_big_form():
    # the watch looks only once a form has expanded many compound forms
    text = "(begin " + "(list 1) " * 3000 + "(car #0=(list #0#)))"
    forms, srcmap = read_all(text, "big.sx")
    for limit in (1500, 100000):
        with recursion_limit(limit), pytest.raises(SxSyntaxError) as info:
            Runtime("cek").run_forms(forms, srcmap, "big.sx")
        assert str(info.value) == "cyclic structure in source"
        assert info.value.loc[0] == "big.sx" and info.value.loc[2] > 27000


def test_cycle_in_an_included_file(tmp_path):
    (tmp_path / "loop.sx").write_text("(define ok '#0=(1 . #0#))\n#1=(car (list #1#))\n")
    main = tmp_path / "main.sx"
    main.write_text('(include "loop.sx")\n')
    rt = Runtime("cek")
    with pytest.raises(SxSyntaxError) as info:
        rt.run_file(str(main))
    assert str(info.value) == "cyclic structure in source"
    assert os.path.basename(info.value.loc[0]) == "loop.sx"


def test_big_acyclic_shared_code_is_not_refused():
    # shared (not circular) structure is fine, however much of it
    text = "(define (g) (list " + "#0=(car (list 1)) " + "#0# " * 3000 + "))"
    rt = Runtime("cek")
    forms, srcmap = read_all(text, "shared.sx")
    rt.run_forms(forms, srcmap, "shared.sx")
    assert rt.eval_string("(length (g))") == 3001


def test_quoted_data_of_a_big_form_is_not_searched_for_cycles(monkeypatch):
    # Code that a program builds and evals quotes live data, cyclic as object
    # graphs are (SOM's compiled methods): legal, and not walked by the watch.
    from sx.expander import cycles
    walked = []
    monkeypatch.setattr(cycles, "_cycle_members",
                        lambda r: walked.append(r) or {})
    graph = Pair(1, NIL)
    graph.cdr = graph
    code = Pair(intern("begin"), NIL)
    tail = code
    for i in range(3000):
        tail.cdr = Pair(Pair(intern("list"), Pair(i, NIL)), NIL)
        tail = tail.cdr
    tail.cdr = Pair(Pair(intern("car"), Pair(Pair(intern("quote"), Pair(graph, NIL)), NIL)), NIL)
    assert Runtime("cek").eval_datum(code) == 1
    assert walked == []


def test_a_cycle_under_a_rebound_quote_is_still_refused():
    text = ("(let ((quote list)) (begin " + "(list 1) " * 3000 + "(quote #0=(#0#))))")
    forms, srcmap = read_all(text, "q.sx")
    with pytest.raises(SxSyntaxError) as info:
        Runtime("cek").run_forms(forms, srcmap, "q.sx")
    assert str(info.value) == "cyclic structure in source"
