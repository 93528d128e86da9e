"""`syntax-rules`: pattern matching and hygienic template instantiation.

Everything R7RS allows: custom ellipsis, `(... ...)` escapes, `_`,
literals, patterns after an ellipsis, improper and vector patterns, and
several ellipses after one template element (`x ... ...`).
"""

from __future__ import annotations

from ..errors import SxSyntaxError
from ..runtime.equality import equal
from ..values import NIL, Pair, intern, py_to_list
from .cycles import spine
from .syntax import Identifier, free_identifier_eq, is_identifier, root, strip
from .syntax_rules_check import check_template, pattern_vars

ELLIPSIS = intern("...")
UNDERSCORE = intern("_")


class Repeated:
    """The matches of a pattern variable under an ellipsis, one per repetition."""

    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items


class SyntaxRules:
    def __init__(self, spec, env, expander, loc) -> None:
        """spec: the whole `(syntax-rules ...)` form; env: definition scope."""
        self.env = env
        self.loc = loc
        rest = spec.cdr
        self.ellipsis = ELLIPSIS
        if rest.__class__ is Pair and is_identifier(rest.car):
            self.ellipsis = rest.car
            rest = rest.cdr
        if rest.__class__ is not Pair:
            raise SxSyntaxError("syntax-rules: missing literals list", (), loc)
        self.literals = _proper(rest.car, "syntax-rules: literals must be a list", loc)
        for lit in self.literals:
            if not is_identifier(lit):
                raise SxSyntaxError("syntax-rules: literal is not an identifier:",
                                    (strip(lit),), loc)
        self.ellipsis_is_literal = any(
            (root(lit) is root(self.ellipsis)) for lit in self.literals)
        # what `is_ellipsis` compares with (None: there is no ellipsis)
        self._ellipsis = None if self.ellipsis_is_literal else self.ellipsis
        self.rules = []
        # The parts of templates that lie on a cycle: circular literals,
        # which instantiation leaves as they are (None: there are none).
        self.cycles: dict | None = None
        for rule in _proper(rest.cdr, "syntax-rules: bad rules", loc):
            r = _proper(rule, "syntax-rules: a rule must be (pattern template)", loc)
            if len(r) != 2 or r[0].__class__ is not Pair:
                raise SxSyntaxError("syntax-rules: a rule must be ((keyword . pattern) template):",
                                    (strip(rule),), loc)
            pvars = pattern_vars(self, r[0].cdr, loc)
            members = check_template(self, r[1], pvars, loc)
            if members:
                self.cycles = {**(self.cycles or {}), **members}
            self.rules.append((r[0].cdr, r[1]))

    # ---- matching --------------------------------------------------------

    def is_ellipsis(self, x) -> bool:
        e = self._ellipsis
        if x is e:
            return e is not None
        # the standard ellipsis also as an alias a macro introduced
        return e is ELLIPSIS and x.__class__ is Identifier and root(x) is ELLIPSIS

    def is_literal(self, p):
        for lit in self.literals:
            if lit is p:
                return True
        return False

    def match(self, pat, form, use_scope, b: dict, loc) -> bool:
        while True:
            if is_identifier(pat):
                if self.is_literal(pat):
                    return is_identifier(form) and free_identifier_eq(
                        form, use_scope, pat, self.env)
                if root(pat) is UNDERSCORE:
                    return True
                b[pat] = form
                return True
            if pat.__class__ is Pair:
                if pat.cdr.__class__ is Pair and self.is_ellipsis(pat.cdr.car):
                    return self._match_ellipsis(pat, form, use_scope, b, loc)
                if form.__class__ is not Pair:
                    return False
                if not self.match(pat.car, form.car, use_scope, b, loc):
                    return False
                pat, form = pat.cdr, form.cdr
                continue
            if pat is NIL:
                return form is NIL
            if pat.__class__ is list:
                if form.__class__ is not list:
                    return False
                return self.match(py_to_list(pat), py_to_list(form), use_scope, b, loc)
            return equal(pat, form)

    def _match_ellipsis(self, pat, form, use_scope, b: dict, loc) -> bool:
        sub, after = pat.car, pat.cdr.cdr
        n_after = 0
        p = after
        while p.__class__ is Pair:
            n_after += 1
            p = p.cdr
        elems, _ = spine(form, loc)   # the form may be anything: even cyclic
        n_rep = len(elems) - n_after
        if n_rep < 0:
            return False
        matches = []
        for e in elems[:n_rep]:
            mb: dict = {}
            if not self.match(sub, e, use_scope, mb, loc):
                return False
            matches.append(mb)
        for var in self._pattern_vars(sub):
            b[var] = Repeated([m[var] for m in matches])
        rest_form = form
        for _ in range(n_rep):
            rest_form = rest_form.cdr
        return self.match(after, rest_form, use_scope, b, loc)

    def _pattern_vars(self, pat) -> list:
        out = []
        stack = [pat]
        while stack:
            p = stack.pop()
            if is_identifier(p):
                if not self.is_literal(p) and not self.is_ellipsis(p) and root(p) is not UNDERSCORE:
                    out.append(p)
            elif p.__class__ is Pair:
                stack.append(p.car)
                stack.append(p.cdr)
            elif p.__class__ is list:
                stack.extend(p)
        return out

    # ---- instantiation ---------------------------------------------------

    def expand(self, form, use_scope, loc, expander):
        """The expansion of a use; `expander` is told of circular literals
        the expansion may hold, so it never expands them as code."""
        if self.cycles is not None:
            expander.add_cycles(self.cycles)
        for pat, tmpl in self.rules:
            b: dict = {}
            if self.match(pat, form.cdr, use_scope, b, loc):
                return self.instantiate(tmpl, b, {}, loc, True)
        raise SxSyntaxError(f"no syntax-rules pattern matches this use of {root(form.car).name}:",
                            (strip(form),), loc)

    def instantiate(self, t, b: dict, renames: dict, loc, ell: bool):
        if self.cycles is not None and id(t) in self.cycles:
            return t
        if is_identifier(t):
            if t in b:
                v = b[t]
                if v.__class__ is Repeated:
                    raise SxSyntaxError(
                        f"pattern variable {root(t).name} used without enough ellipses", (), loc)
                return v
            r = renames.get(t)
            if r is None:
                r = renames[t] = Identifier(t, self.env)
            return r
        if t.__class__ is Pair:
            if ell and self.is_ellipsis(t.car):
                # (... template): ellipses inside are literal.
                if t.cdr.__class__ is not Pair:
                    raise SxSyntaxError("bad ellipsis escape in template", (), loc)
                return self.instantiate(t.cdr.car, b, renames, loc, False)
            head = out = Pair(None, NIL)
            cycles = self.cycles
            while t.__class__ is Pair and (cycles is None or id(t) not in cycles):
                elem = t.car
                t = t.cdr
                depth = 0
                while ell and t.__class__ is Pair and self.is_ellipsis(t.car):
                    depth += 1
                    t = t.cdr
                if depth:
                    for x in self._repeat(elem, b, renames, loc, depth):
                        out.cdr = out = Pair(x, NIL)
                else:
                    out.cdr = out = Pair(self.instantiate(elem, b, renames, loc, ell), NIL)
            out.cdr = self.instantiate(t, b, renames, loc, ell) if t is not NIL else NIL
            return head.cdr
        if t.__class__ is list:
            return list(_iter(self.instantiate(py_to_list(t), b, renames, loc, ell)))
        return t

    def _repeat(self, elem, b: dict, renames: dict, loc, depth: int) -> list:
        vars_ = [v for v in self._template_vars(elem, b) if b[v].__class__ is Repeated]
        if not vars_:
            raise SxSyntaxError("no pattern variable under this ellipsis in template", (), loc)
        n = len(b[vars_[0]].items)
        for v in vars_:
            if len(b[v].items) != n:
                raise SxSyntaxError("pattern variables under one ellipsis matched different lengths",
                                    (), loc)
        out = []
        for i in range(n):
            bi = dict(b)
            for v in vars_:
                bi[v] = b[v].items[i]
            if depth > 1:
                out.extend(self._repeat(elem, bi, renames, loc, depth - 1))
            else:
                out.append(self.instantiate(elem, bi, renames, loc, True))
        return out

    def _template_vars(self, t, b: dict) -> list:
        out = []
        stack = [t]
        while stack:
            p = stack.pop()
            if self.cycles is not None and id(p) in self.cycles:
                continue
            if is_identifier(p):
                if p in b:
                    out.append(p)
            elif p.__class__ is Pair:
                stack.append(p.car)
                stack.append(p.cdr)
            elif p.__class__ is list:
                stack.extend(p)
        return out


def _iter(lst):
    while lst.__class__ is Pair:
        yield lst.car
        lst = lst.cdr


def _proper(lst, message: str, loc) -> list:
    out, tail = spine(lst, loc)
    if tail is not NIL:
        raise SxSyntaxError(message, (), loc)
    return out
