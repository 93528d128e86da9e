"""What R7RS 4.3.2 requires of a syntax-rules rule, checked once where the
macro is defined, so that a misplaced ellipsis is an error there (with the
definition's location) rather than a surprise at some use:

- in a pattern, an ellipsis follows a subpattern, once per list or vector,
  never after a dot; a pattern variable appears once; a pattern has no cycle;
- in a template, an ellipsis follows a subtemplate that holds a pattern
  variable with as many ellipses after it; a pattern variable has at least
  as many ellipses after it as in the pattern; `(... template)` holds one
  template.

Both walks visit each part of a rule once, as long as the rule is a tree;
one that visits many more parts than a rule has is looked at for cycles
(`on_cycle`), rather than every rule paying for that look.
"""

from __future__ import annotations

from ..errors import SxSyntaxError
from ..values import NIL, Pair, Symbol
from .cycles import CYCLIC, on_cycle, spine
from .syntax import Identifier, is_identifier, root, strip

UNDERSCORE = "_"
VISITS = 1 << 12    # parts of one pattern or template walked before looking for cycles


def pattern_vars(rules, pattern, loc) -> dict:
    """{pattern variable: number of ellipses after it} of a rule's pattern
    (without its keyword); a bad pattern is an error."""
    out: dict = {}
    budget = VISITS
    stack = [(pattern, 0)]
    while stack:
        p, depth = stack.pop()
        c = p.__class__
        if c is Symbol or c is Identifier:
            if rules.is_ellipsis(p):
                raise SxSyntaxError("syntax-rules: misplaced ellipsis in pattern", (), loc)
            if rules.is_literal(p) or root(p).name == UNDERSCORE:
                continue
            if p in out:
                if on_cycle(pattern) is not None:   # met again by going round
                    raise SxSyntaxError(CYCLIC, (), loc)
                raise SxSyntaxError(f"syntax-rules: duplicate pattern variable {root(p).name}",
                                    (), loc)
            out[p] = depth
        elif c is Pair or c is list:
            budget -= 1
            if budget == 0 and on_cycle(pattern) is not None:
                raise SxSyntaxError(CYCLIC, (), loc)
            elems, tail = spine(p, loc) if c is Pair else (p, NIL)
            stack.extend(_sequence(rules, elems, depth, loc, p))
            if tail is not NIL:
                stack.append((tail, depth))
    return out


def _sequence(rules, elems: list, depth: int, loc, whole) -> list:
    """(element, depth) of the elements of a pattern list or vector: the one
    before an ellipsis is one level deeper."""
    out = []
    seen_ellipsis = False
    last = len(elems) - 1
    for i, e in enumerate(elems):
        if rules.is_ellipsis(e):
            if i == 0 or seen_ellipsis:
                raise SxSyntaxError("syntax-rules: misplaced ellipsis in pattern",
                                    (strip(whole),), loc)
            seen_ellipsis = True
            continue
        ell = i < last and rules.is_ellipsis(elems[i + 1])
        out.append((e, depth + 1 if ell else depth))
    return out


def check_template(rules, template, pvars: dict, loc):
    """A bad template is an error. Returns {id: object} of the parts of the
    template that lie on a cycle (a circular literal, which instantiation
    leaves alone), or None."""
    budget = VISITS
    literal = None
    stack = [(template, 0, True)]
    while stack:
        t, depth, ell = stack.pop()
        c = t.__class__
        if c is Symbol or c is Identifier:
            if ell and rules.is_ellipsis(t):
                raise SxSyntaxError("syntax-rules: misplaced ellipsis in template", (), loc)
            if pvars.get(t, 0) > depth:
                raise SxSyntaxError(f"syntax-rules: pattern variable {root(t).name} "
                                    "used with too few ellipses in template", (), loc)
            continue
        if c is not Pair and c is not list:
            continue
        budget -= 1
        if budget == 0:
            literal = on_cycle(template)
        if literal is not None and id(t) in literal:
            continue
        if c is Pair and ell and rules.is_ellipsis(t.car):
            # (... template): the ellipses inside are plain identifiers
            if t.cdr.__class__ is not Pair or t.cdr.cdr is not NIL:
                raise SxSyntaxError("syntax-rules: bad ellipsis escape in template",
                                    (strip(t),), loc)
            stack.append((t.cdr.car, depth, False))
            continue
        if c is Pair:
            try:
                elems, tail = _elements(t, literal, loc)
            except SxSyntaxError:       # its cdrs go round: a circular literal
                literal = on_cycle(template)
                elems, tail = _elements(t, literal, loc)
        else:
            elems, tail = t, NIL
        i = 0
        while i < len(elems):
            e = elems[i]
            i += 1
            n = 0
            while ell and i < len(elems) and rules.is_ellipsis(elems[i]):
                n += 1
                i += 1
            if n and not _has_deep_var(e, pvars, depth + n, literal):
                raise SxSyntaxError("syntax-rules: no pattern variable under this "
                                    "ellipsis in template", (strip(t),), loc)
            stack.append((e, depth + n, ell))
        if tail is not NIL:
            stack.append((tail, depth, ell))
    return literal


def _elements(t, literal, loc) -> tuple[list, object]:
    """The elements of a template list up to the end or to a part of a
    circular literal (its tail then)."""
    if literal is None:
        return spine(t, loc)
    out = []
    while t.__class__ is Pair and id(t) not in literal:
        out.append(t.car)
        t = t.cdr
    return out, t


def _has_deep_var(t, pvars: dict, depth: int, literal) -> bool:
    """Whether t holds a pattern variable with at least `depth` ellipses."""
    seen: set = set()
    stack = [t]
    while stack:
        x = stack.pop()
        if is_identifier(x):
            if pvars.get(x, -1) >= depth:
                return True
        elif x.__class__ is Pair or x.__class__ is list:
            if id(x) in seen or (literal is not None and id(x) in literal):
                continue
            seen.add(id(x))
            stack.extend((x.car, x.cdr) if x.__class__ is Pair else x)
    return False
