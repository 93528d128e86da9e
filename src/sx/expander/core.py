"""The expander: datums -> Core IR.

It walks a form with a scope, expands macro uses at the head of each form,
turns core forms into IR nodes, and turns bodies (lambda, let, ...) with
internal definitions into `Letrec`. Derived forms whose expansion is a
rewrite into other forms live in derived.py; libraries in libraries.py.
"""

from __future__ import annotations

import os

from .. import ir
from ..errors import SchemeError, SxSyntaxError
from ..reader import SourceMap
from ..runtime.codecache import read_all_cached
from ..runtime.textio import read_source
from ..values import (NIL, UNSPECIFIED, Cell, Pair, Symbol, intern, list_to_py, py_to_list)
from .cycles import CYCLIC, on_cycle, proper, refuse, spine
from .derived import named_let
from .limits import too_deep
from .libraries import define_library, do_import, feature_match
from .syntax import (Environment, Identifier, Macro, Scope, Special, has_identifiers,
                     is_identifier, resolve, root, strip, top_env)
from .syntax_rules import SyntaxRules

# Forms the expander itself turns into IR (the rest are macros).
SPECIALS = {
    "quote": "x_quote", "lambda": "x_lambda", "fn": "x_lambda", "define": "x_define",
    "set!": "x_set", "if": "x_if", "begin": "x_begin", "let": "x_let",
    "letrec": "x_letrec", "letrec*": "x_letrec", "let-syntax": "x_let_syntax",
    "letrec-syntax": "x_let_syntax", "define-syntax": "x_define_syntax",
    "syntax-rules": "x_syntax_rules", "syntax-error": "x_syntax_error",
    "include": "x_include", "include-ci": "x_include", "cond-expand": "x_cond_expand",
    "import": "x_import", "define-library": "x_define_library",
}


def install_specials(env: Environment) -> None:
    for name, handler in SPECIALS.items():
        env.table[intern(name)] = Special(name, handler)


# Compound forms a top-level form may expand before the expander checks it
# for cycles. Code on a cycle expands forever, each round through `head`:
# counting the calls of `head` finds it long before the Python stack runs
# out, and the check is never made for the many small forms.
CYCLE_BUDGET = 2000
NEVER = 1 << 62


class Expander:
    """Expands forms for one compilation unit (a file, a REPL entry, an eval).

    `srcmap` gives locations of the pairs read from source; `evaluate(node)`
    runs IR at expansion time (needed by define-library bodies)."""

    def __init__(self, srcmap=None, filename: str | None = None, evaluate=None) -> None:
        self.srcmap = srcmap if srcmap is not None else SourceMap()
        self.filename = filename
        self.evaluate = evaluate
        self.proc = None  # name of the enclosing lambda, for backtraces
        # The cycle watch of the current top-level form (see `watch`).
        self.roots: list = []     # the datums it came from
        self.checked = 0          # how many of them the watch has checked
        self.heads = 0            # compound forms expanded so far
        self.budget = NEVER       # `watch` is called once heads exceeds this
        self.cyclic = None        # {id: object} of what lies on a cycle, once known

    def fresh(self) -> Expander:
        """A new expander for the same unit (source map, file, evaluator),
        outside any procedure: define-library expands its bodies with one."""
        return Expander(self.srcmap, self.filename, self.evaluate)

    def loc(self, x, default):
        return self.srcmap.get(id(x), default)

    def error(self, message: str, loc, *irritants):
        raise SxSyntaxError(message, irritants, loc)

    # ---- helpers ---------------------------------------------------------

    def is_kw(self, x, scope, name: str) -> bool:
        """x is the keyword `name` (e.g. else, =>, unquote) and not shadowed
        by a local variable."""
        if not is_identifier(x) or root(x).name != name:
            return False
        b, _, _ = resolve(x, scope)
        return b is None or b.__class__ is not ir.Var

    def args(self, form, n_min: int, n_max, loc, what=None) -> list:
        items = proper(form, f"bad syntax in {what or self._head_name(form)}", loc)
        n = len(items) - 1
        if n < n_min or (n_max is not None and n > n_max):
            self.error(f"bad syntax: {what or self._head_name(form)}", loc, strip(form))
        return items

    @staticmethod
    def _head_name(form) -> str:
        return root(form.car).name if is_identifier(form.car) else "form"

    def head(self, form, scope, loc):
        """Expand macro uses at the head of `form`.

        Returns (binding, form, loc): binding is the Special for a core form,
        or None for anything else (an expression). Every compound form, and
        every macro expansion, goes through here, so this is where the cycle
        watch counts."""
        while True:
            self.heads += 1
            if self.heads > self.budget:
                self.watch(form, loc)
            if form.__class__ is not Pair:
                return None, form, loc
            h = form.car.__class__
            if h is not Symbol and h is not Identifier:
                return None, form, loc
            b, _, _ = resolve(form.car, scope)
            if b.__class__ is Special:
                return b, form, loc
            if b.__class__ is not Macro:
                return None, form, loc
            form = self.apply_macro(b, form, scope, loc)

    def apply_macro(self, m: Macro, form, scope, loc):
        t = m.transformer
        if t.__class__ is SyntaxRules:
            return t.expand(form, scope, loc, self)
        return t(form, scope, self, loc)

    # ---- cycles in code (see cycles.py) ------------------------------------

    def watch(self, form, loc) -> None:
        """Called from `head` once the form has expanded more compound forms
        than its budget: the first time, decide whether anything it came
        from has a cycle (almost never: then never again, unless an include
        brings more); when something does, every compound form is checked
        from then on."""
        if self.checked < len(self.roots):
            found: dict = {}
            for r in self.roots[self.checked:]:
                found.update(on_cycle(r, code=True) or {})
            self.checked = len(self.roots)
            if found:
                self.add_cycles(found)
        if self.cyclic is None:
            self.budget = NEVER
            return
        refuse(form, self.cyclic, loc)

    def more_roots(self, datums: list) -> None:
        """Datums that join the current top-level form (an included file's):
        the watch checks them too, if they expand long enough to matter."""
        self.roots.extend(datums)
        if self.cyclic is None:
            self.budget = min(self.budget, self.heads + CYCLE_BUDGET)

    def add_cycles(self, members: dict) -> None:
        """Refuse these pairs and vectors as code from now on (a cyclic
        literal of a macro template, an included file with a cycle)."""
        if self.cyclic is None:
            self.cyclic = {}
        self.cyclic.update(members)
        self.budget = -1

    def acyclic(self, x, loc) -> None:
        """x is syntax through and through (an import set, a feature
        requirement): any cycle in it is an error."""
        if on_cycle(x) is not None:
            raise SxSyntaxError(CYCLIC, (), loc)

    # ---- expressions -----------------------------------------------------

    def expand(self, x, scope, loc) -> ir.Node:
        cls = x.__class__
        if cls is Symbol or cls is Identifier:
            return self.reference(x, scope, loc)
        if cls is Pair:
            loc = self.srcmap.get(id(x), loc)   # self.loc, written out: the hottest call
            special, x, loc = self.head(x, scope, loc)
            if special is not None:
                if special.name in ("define", "define-syntax", "define-library", "import"):
                    self.error(f"{special.name} is not allowed in an expression context", loc)
                return getattr(self, special.handler)(x, scope, loc)
            if x.__class__ is not Pair:
                return self.expand(x, scope, loc)
            return self.call(x, scope, loc)
        if x is NIL:
            self.error("empty combination () is not an expression (quote it: '())", loc)
        return ir.Const(x, loc)

    def reference(self, x, scope, loc) -> ir.Node:
        b, env, sym = resolve(x, scope)
        if b.__class__ is ir.Var:
            return ir.LocalRef(b, loc)
        if b.__class__ is Cell:
            return ir.GlobalRef(b, loc)
        if b is None:
            return ir.GlobalRef(env.cell(sym), loc)
        self.error(f"syntax keyword {root(x).name} used as a variable", loc)

    def call(self, form, scope, loc) -> ir.Node:
        items = proper(form, "procedure call", loc)
        fn = self.expand(items[0], scope, loc)
        args = []
        where = self.srcmap.get
        p = form.cdr
        for a in items[1:]:
            args.append(self.expand(a, scope, where(id(p), loc)))
            p = p.cdr
        return ir.Call(fn, args, loc, self.proc)

    def expand_seq(self, forms_list, scope, loc) -> ir.Node:
        nodes = [self.expand(f, scope, loc) for f in forms_list]
        if not nodes:
            return ir.Const(UNSPECIFIED, loc)
        return nodes[0] if len(nodes) == 1 else ir.Seq(nodes, loc)

    # ---- core forms ------------------------------------------------------

    def x_quote(self, form, scope, loc):
        items = self.args(form, 1, 1, loc, "quote")
        d = items[1]
        return ir.Const(strip(d) if has_identifiers(d) else d, loc)

    def x_if(self, form, scope, loc):
        items = self.args(form, 2, 3, loc, "if")
        p = form.cdr
        locs = []
        while p.__class__ is Pair:
            locs.append(self.loc(p, loc))
            p = p.cdr
        test = self.expand(items[1], scope, locs[0])
        then = self.expand(items[2], scope, locs[1])
        else_ = self.expand(items[3], scope, locs[2]) if len(items) == 4 else ir.Const(UNSPECIFIED, loc)
        return ir.If(test, then, else_, loc)

    def x_begin(self, form, scope, loc):
        items = proper(form, "begin", loc)
        return self.expand_seq(items[1:], scope, loc)

    def x_set(self, form, scope, loc):
        items = self.args(form, 2, 2, loc, "set!")
        name = items[1]
        if not is_identifier(name):
            self.error("set!: not a variable name:", loc, strip(name))
        b, env, sym = resolve(name, scope)
        value = self.expand(items[2], scope, loc)
        if b.__class__ is ir.Var:
            b.assigned = True
            return ir.LocalSet(b, value, loc)
        if b.__class__ is Cell:
            return ir.GlobalSet(b, value, False, loc)
        if b is None:
            return ir.GlobalSet(env.cell(sym), value, False, loc)
        self.error(f"set!: cannot assign the syntax keyword {root(name).name}", loc)

    def params(self, formals, loc):
        """Parse lambda formals into (identifiers, rest identifier or None)."""
        req, formals = spine(formals, loc)
        rest = None
        if formals is not NIL:
            rest = formals
        seen = set()
        for p in req + ([rest] if rest is not None else []):
            if not is_identifier(p):
                self.error("lambda: parameter is not an identifier:", loc, strip(p))
            if p in seen:
                self.error(f"lambda: duplicate parameter {root(p).name}", loc)
            seen.add(p)
        return req, rest

    def x_lambda(self, form, scope, loc, name=None):
        if form.cdr.__class__ is not Pair or form.cdr.cdr.__class__ is not Pair:
            self.error("lambda: expected (lambda formals body ...)", loc, strip(form))
        return self.make_lambda(form.cdr.car, form.cdr.cdr, scope, loc, name)

    def make_lambda(self, formals, body, scope, loc, name):
        req, rest = self.params(formals, loc)
        inner = Scope(scope)
        pvars = []
        for p in req:
            v = inner.table[p] = ir.Var(root(p))
            pvars.append(v)
        rvar = None
        if rest is not None:
            rvar = inner.table[rest] = ir.Var(root(rest))
        saved = self.proc
        self.proc = name.name if name is not None else None
        try:
            b = self.body(body, inner, loc)
        finally:
            self.proc = saved
        return ir.Lambda(pvars, rvar, b, self.proc_label(name), loc)

    @staticmethod
    def proc_label(name):
        return name.name if name is not None else None

    def named_value(self, x, name, scope, loc):
        """Expand x; a lambda gets `name` (for printing and backtraces)."""
        if x.__class__ is Pair:
            xloc = self.loc(x, loc)
            special, x2, xloc = self.head(x, scope, xloc)
            if special is not None and special.handler == "x_lambda":
                return self.x_lambda(x2, scope, xloc, root(name))
            if special is not None or x2.__class__ is not Pair:
                return self.expand(x2, scope, xloc)
            return self.call(x2, scope, xloc)
        return self.expand(x, scope, loc)

    def bindings(self, lst, what: str, loc) -> list:
        out = []
        for b in proper(lst, what, loc):
            items = proper(b, what, loc) if b.__class__ is Pair else None
            if items is None or len(items) != 2 or not is_identifier(items[0]):
                self.error(f"{what}: bad binding", loc, strip(b))
            out.append((items[0], items[1], self.loc(b, loc)))
        return out

    def x_let(self, form, scope, loc):
        if form.cdr.__class__ is not Pair:
            self.error("let: expected bindings", loc)
        if is_identifier(form.cdr.car):
            return self.expand(named_let(form, scope, self, loc), scope, loc)
        if form.cdr.cdr.__class__ is not Pair:
            self.error("let: no body", loc)
        binds = self.bindings(form.cdr.car, "let", loc)
        inner = Scope(scope)
        vars_, inits = [], []
        for name, init, bloc in binds:
            if name in inner.table:
                self.error(f"let: duplicate variable {root(name).name}", bloc)
            inits.append(self.named_value(init, name, scope, bloc) if init is not None
                         else ir.Const(UNSPECIFIED, bloc))
            vars_.append(ir.Var(root(name)))
            inner.table[name] = vars_[-1]
        return ir.Let(vars_, inits, self.body(form.cdr.cdr, inner, loc), loc, self.proc)

    def x_letrec(self, form, scope, loc):
        if form.cdr.__class__ is not Pair or form.cdr.cdr.__class__ is not Pair:
            self.error(f"{self._head_name(form)}: expected bindings and a body", loc)
        binds = self.bindings(form.cdr.car, "letrec", loc)
        inner = Scope(scope)
        vars_ = []
        for name, _, bloc in binds:
            if name in inner.table:
                self.error(f"letrec: duplicate variable {root(name).name}", bloc)
            v = inner.table[name] = ir.Var(root(name))
            v.checked = True
            vars_.append(v)
        inits = [self.named_value(init, name, inner, bloc) if init is not None
                 else ir.Const(UNSPECIFIED, bloc) for name, init, bloc in binds]
        body = self.body(form.cdr.cdr, inner, loc)
        if not vars_:   # (letrec () body): the evaluators expect a Letrec to bind something
            return body
        return ir.Letrec(vars_, inits, body, loc)

    # ---- bodies and definitions -------------------------------------------

    def parse_define(self, form, loc):
        """(define name expr) / (define (name . formals) body...) / curried.
        Returns (name identifier, value form, is_lambda_formals_body)."""
        if form.cdr.__class__ is not Pair:
            self.error("define: expected a name", loc)
        target = form.cdr.car
        if is_identifier(target):
            rest = proper(form.cdr.cdr, "define", loc)
            if len(rest) > 1:
                self.error("define: too many expressions (expected one)", loc, strip(form))
            return target, (rest[0] if rest else None), None
        if target.__class__ is Pair:
            if form.cdr.cdr is NIL:
                self.error("define: procedure has no body", loc)
            # Curried define: (define ((f a) b) ...) = (define (f a) (lambda (b) ...))
            body = form.cdr.cdr
            seen = set()    # (define #0=(#0# x) ...) would curry forever
            while target.car.__class__ is Pair:
                if id(target) in seen:
                    self.error(CYCLIC, loc)
                seen.add(id(target))
                body = Pair(Pair(_LAMBDA, Pair(target.cdr, body)), NIL)
                target = target.car
            if not is_identifier(target.car):
                self.error("define: bad procedure name:", loc, strip(target.car))
            return target.car, None, (target.cdr, body)
        self.error("define: bad syntax", loc, strip(form))

    def define_value_node(self, name, value, lam, scope, loc):
        if lam is not None:
            return self.make_lambda(lam[0], lam[1], scope, loc, root(name))
        if value is None:
            return ir.Const(UNSPECIFIED, loc)
        return self.named_value(value, name, scope, loc)

    def x_define(self, form, scope, loc):
        """A definition at top level (bodies handle their own)."""
        name, value, lam = self.parse_define(form, loc)
        env = top_env(scope)
        sym = root(name)
        b = env.table.get(sym)
        if b.__class__ is not Cell:
            # Defining a name that was a keyword turns it into a variable.
            b = env.table[sym] = Cell(sym)
        node = self.define_value_node(name, value, lam, scope, loc)
        return ir.GlobalSet(b, node, True, loc)

    def transformer(self, spec, scope, loc, name):
        """The macro a define-syntax / let-syntax right-hand side denotes."""
        if spec.__class__ is Pair and is_identifier(spec.car):
            b, _, _ = resolve(spec.car, scope)
            if b.__class__ is Special and b.name == "syntax-rules":
                return Macro(SyntaxRules(spec, scope, self, loc), root(name).name)
        if is_identifier(spec):
            b, _, _ = resolve(spec, scope)
            if b.__class__ is Macro or b.__class__ is Special:
                return b
        self.error("define-syntax: expected (syntax-rules ...) or a keyword", loc, strip(spec))

    def x_define_syntax(self, form, scope, loc):
        items = self.args(form, 2, 2, loc, "define-syntax")
        if not is_identifier(items[1]):
            self.error("define-syntax: bad name", loc, strip(items[1]))
        m = self.transformer(items[2], scope, loc, items[1])
        if scope.__class__ is Scope:
            scope.table[items[1]] = m
        else:
            scope.table[root(items[1])] = m
        return ir.Const(UNSPECIFIED, loc)

    def x_syntax_rules(self, form, scope, loc):
        self.error("syntax-rules is only valid as a macro transformer", loc)

    def x_syntax_error(self, form, scope, loc):
        items = proper(form, "syntax-error", loc)
        msg = items[1].s if len(items) > 1 and hasattr(items[1], "s") else "syntax error"
        self.error(msg, loc, *[strip(i) for i in items[2:]])

    def x_let_syntax(self, form, scope, loc):
        if form.cdr.__class__ is not Pair:
            self.error("let-syntax: expected bindings", loc)
        rec = root(form.car).name == "letrec-syntax"
        inner = Scope(scope)
        for name, spec, bloc in self.bindings(form.cdr.car, "let-syntax", loc):
            inner.table[name] = self.transformer(spec, inner if rec else scope, bloc, name)
        return self.body(form.cdr.cdr, inner, loc)

    def body(self, forms, scope, loc) -> ir.Node:
        """A lambda/let body: definitions (possibly from macros), then expressions."""
        inner = Scope(scope)
        items = []  # ("def", var, name, value, lam, loc) | ("expr", form, loc)
        queue = []
        p = forms
        elems, tail = spine(forms, loc)
        for x in elems:
            queue.append((x, self.loc(p, loc)))
            p = p.cdr
        if tail is not NIL:
            self.error("body: not a proper list", loc)
        i = 0
        while i < len(queue):
            form, floc = queue[i]
            i += 1
            floc = self.loc(form, floc)
            special, form, floc = self.head(form, inner, floc)
            name = special.name if special is not None else None
            if name == "begin":
                sub = proper(form.cdr, "begin", floc)
                queue[i:i] = [(s, floc) for s in sub]
            elif name in ("include", "include-ci"):
                queue[i:i] = [(s, floc) for s in self.read_included(form, floc)]
            elif name == "define":
                dname, value, lam = self.parse_define(form, floc)
                v = inner.table[dname] = ir.Var(root(dname))
                v.checked = True
                items.append(("def", v, dname, value, lam, floc))
            elif name == "define-syntax":
                self.x_define_syntax(form, inner, floc)
            elif name in ("import", "define-library"):
                self.error(f"{name} is only allowed at top level", floc)
            else:
                items.append(("expr", form, floc))
        if not items:
            self.error("body has no expression", loc)
        vars_, inits, exprs = [], [], []
        for it in items:
            if it[0] == "def":
                _, v, dname, value, lam, floc = it
                if exprs:  # an expression between definitions: keep its place
                    for e in exprs:
                        vars_.append(ir.Var(intern("_")))
                        inits.append(e)
                    exprs = []
                vars_.append(v)
                inits.append(self.define_value_node(dname, value, lam, inner, floc))
            else:
                exprs.append(self.expand(it[1], inner, it[2]))
        if not exprs:
            exprs = [ir.Const(UNSPECIFIED, loc)]
        body = exprs[0] if len(exprs) == 1 else ir.Seq(exprs, loc)
        if not vars_:
            return body
        return ir.Letrec(vars_, inits, body, loc)

    # ---- top level -------------------------------------------------------

    def toplevel(self, form, env, loc) -> ir.Node:
        """Expand one top-level form of a program, REPL entry or eval: the
        entry point, which watches the form for cycles and turns running out
        of Python stack into a located SX error."""
        saved = self.roots, self.checked, self.heads, self.budget, self.cyclic
        self.roots, self.checked, self.heads, self.budget, self.cyclic = \
            [form], 0, 0, CYCLE_BUDGET, None
        try:
            return self._toplevel(form, env, loc)
        except RecursionError:
            raise self.too_deep(loc) from None
        finally:
            self.roots, self.checked, self.heads, self.budget, self.cyclic = saved

    def too_deep(self, loc) -> SxSyntaxError:
        """The Python stack ran out: a cycle the watch had no time to see
        (a very low recursion limit), or really deep nesting."""
        for r in self.roots:    # (the watch looked at code only: see on_cycle)
            members = on_cycle(r)
            if members:
                where = next((self.srcmap[i] for i in members if i in self.srcmap), loc)
                return SxSyntaxError(CYCLIC, (), where)
        return too_deep(self.roots, self.srcmap, loc)

    def _toplevel(self, form, env, loc) -> ir.Node:
        if form.__class__ is Pair:
            loc = self.loc(form, loc)
            special, form, loc = self.head(form, env, loc)
            if special is not None:
                if special.name == "begin":
                    items = proper(form.cdr, "begin", loc)
                    nodes = [self._toplevel(f, env, self.loc(f, loc)) for f in items]
                    if not nodes:
                        return ir.Const(UNSPECIFIED, loc)
                    return nodes[0] if len(nodes) == 1 else ir.Seq(nodes, loc)
                return getattr(self, special.handler)(form, env, loc)
        return self.expand(form, env, loc)

    # ---- files, features, libraries -----------------------------------------

    def x_include(self, form, scope, loc):
        forms = self.read_included(form, loc)
        if scope.__class__ is Environment:
            return self._toplevel(Pair(_BEGIN, py_to_list(forms)), scope, loc)
        return self.expand_seq(forms, scope, loc)

    def read_included(self, form, loc) -> list:
        """The datums of the files an include / include-ci form names."""
        fold = root(form.car).name == "include-ci"
        forms = []
        for f in proper(form.cdr, "include", loc):
            if not hasattr(f, "s"):
                self.error("include: expected a file name string", loc)
            path = f.s
            if not os.path.isabs(path) and self.filename and loc:
                path = os.path.join(os.path.dirname(loc[0]), path)
            try:
                text = read_source(path, "include")
            except SchemeError as err:     # a file error, at the include
                if err.loc is None:
                    err.loc = loc
                raise
            if fold:
                text = "#!fold-case\n" + text
            datums, smap = read_all_cached(text, path)
            self.srcmap.update(smap)
            forms.extend(d for d, _ in datums)
        self.more_roots(forms)
        return forms

    def x_cond_expand(self, form, scope, loc):
        for clause in proper(form.cdr, "cond-expand", loc):
            if clause.__class__ is not Pair:
                self.error("cond-expand: bad clause", loc, strip(clause))
            self.acyclic(clause.car, loc)
            if feature_match(clause.car, loc):
                body = Pair(_BEGIN, clause.cdr)
                if scope.__class__ is Environment:
                    return self._toplevel(body, scope, loc)
                return self.expand(body, scope, loc)
        return ir.Const(UNSPECIFIED, loc)

    def x_import(self, form, scope, loc):
        if scope.__class__ is not Environment:
            self.error("import is only allowed at top level", loc)
        for spec in proper(form.cdr, "import", loc):
            self.acyclic(spec, loc)
            do_import(spec, scope, loc)
        return ir.Const(UNSPECIFIED, loc)

    def x_define_library(self, form, scope, loc):
        if scope.__class__ is not Environment:
            self.error("define-library is only allowed at top level", loc)
        define_library(form, self, loc)
        return ir.Const(UNSPECIFIED, loc)


_LAMBDA = Identifier(intern("lambda"), None)
_BEGIN = Identifier(intern("begin"), None)


def bind_core_identifiers(system: Environment) -> None:
    """Point the expander's own template identifiers at the system env."""
    _LAMBDA.env = system
    _BEGIN.env = system


__all__ = ["Expander", "install_specials", "bind_core_identifiers", "proper", "list_to_py"]
