"""Derived forms, written as Python rewrites (datum -> datum).

Each transformer builds its output from `core(name)` identifiers, which
always mean the system environment's binding, and from `temp(name)`
identifiers, fresh for each use, so the rewrites are hygienic without going
through syntax-rules (which would cost start-up time and give worse errors).
"""

from __future__ import annotations

from ..errors import SxSyntaxError
from ..values import NIL, UNSPECIFIED, Keyword, MString, Pair, intern, py_to_list
from .cycles import on_cycle, proper, refuse, spine
from .syntax import Environment, Identifier, Macro, is_identifier, root, strip

SYSTEM: Environment | None = None


def core(name: str) -> Identifier:
    return Identifier(intern(name), SYSTEM)


temp = core  # each call makes a fresh alias, which is what a temporary needs


def L(*items, tail=NIL):
    """The list of `items` (ending in `tail`): how the rewrites build forms."""
    return py_to_list(items, tail)


def items_of(lst, what: str, loc) -> list:
    return proper(lst, what, loc, "{}: bad syntax (not a proper list)")


def formals_of(formals, what: str, loc) -> tuple[list, object]:
    """(required identifiers, rest identifier or NIL) of a lambda list."""
    req, rest = spine(formals, loc)
    for x in req + ([rest] if rest is not NIL else []):
        if not is_identifier(x):
            raise SxSyntaxError(f"{what}: not an identifier:", (strip(x),), loc)
    return req, rest


def check_bindings(binds: list, what: str, loc) -> None:
    """Each of binds is (identifier init)."""
    for b in binds:
        parts = items_of(b, what, loc) if b.__class__ is Pair else None
        if parts is None or len(parts) != 2 or not is_identifier(parts[0]):
            raise SxSyntaxError(f"{what}: bad binding", (strip(b),), loc)


def quoted(x):
    return L(core("quote"), x)


def body_of(form, what: str, loc, skip: int):
    """The cdr of `form` after `skip` elements; must be non-empty."""
    p = form
    for _ in range(skip + 1):
        if p.__class__ is not Pair:
            raise SxSyntaxError(f"{what}: bad syntax", (strip(form),), loc)
        p = p.cdr
    if p.__class__ is not Pair:
        raise SxSyntaxError(f"{what}: missing body", (strip(form),), loc)
    return p


def is_else(x, scope, ex) -> bool:
    return (x.__class__ is Keyword and x.name == "else") or ex.is_kw(x, scope, "else")


# ---- binding forms ---------------------------------------------------------

def named_let(form, scope, ex, loc):
    # (let name ((v i) ...) body...) => ((letrec ((name (lambda (v ...) body...))) name) i ...)
    name = form.cdr.car
    body = body_of(form, "let", loc, 2)
    binds = ex.bindings(form.cdr.cdr.car, "named let", loc)
    vars_ = [b[0] for b in binds]
    inits = [b[1] if b[1] is not None else UNSPECIFIED for b in binds]
    lam = Pair(core("lambda"), Pair(L(*vars_), body))
    return L(L(core("letrec"), L(L(name, lam)), name), *inits)


def let_star(form, scope, ex, loc):
    body = body_of(form, "let*", loc, 1)
    binds = items_of(form.cdr.car, "let*", loc)
    check_bindings(binds, "let*", loc)
    if not binds:
        return Pair(core("let"), Pair(NIL, body))
    out = Pair(core("let"), Pair(L(binds[-1]), body))
    for b in reversed(binds[:-1]):
        out = L(core("let"), L(b), out)
    return out


def let_values(form, scope, ex, loc, sequential=False):
    # Bind every formal to a fresh temporary first, so the inits are all
    # evaluated outside the new bindings (let-values) or inside them (let*-values).
    what = "let*-values" if sequential else "let-values"
    body = body_of(form, what, loc, 1)
    clauses = items_of(form.cdr.car, what, loc)
    for c in clauses:
        if c.__class__ is not Pair or len(items_of(c, what, loc)) != 2:
            raise SxSyntaxError(f"{what}: bad clause", (strip(c),), loc)
        formals_of(c.car, what, loc)
    if sequential:
        if not clauses:
            return Pair(core("let"), Pair(NIL, body))
        out = Pair(core("let-values"), Pair(L(clauses[-1]), body))
        for c in reversed(clauses[:-1]):
            out = L(core("let-values"), L(c), out)
        return out
    renames = []

    def build(i):
        if i == len(clauses):
            return Pair(core("let"), Pair(L(*[L(v, t) for v, t in renames]), body))
        c = items_of(clauses[i], what, loc)   # checked above: (formals init)
        names, formals = formals_of(c[0], what, loc)
        temps_head = None
        req = []
        for name in names:
            t = temp("t")
            renames.append((name, t))
            req.append(t)
        if formals is not NIL:
            temps_head = temp("rest")
            renames.append((formals, temps_head))
        tformals = L(*req, tail=temps_head if temps_head is not None else NIL)
        return L(core("call-with-values"), L(core("lambda"), NIL, c[1]),
                 L(core("lambda"), tformals, build(i + 1)))

    return build(0)


def define_values(form, scope, ex, loc):
    items = items_of(form, "define-values", loc)
    if len(items) != 3:
        raise SxSyntaxError("define-values: expected (define-values formals expr)", (), loc)
    names, req, sets = [], [], []
    required, formals = formals_of(items[1], "define-values", loc)
    for name in required:
        t = temp("t")
        names.append(name)
        req.append(t)
        sets.append(L(core("set!"), name, t))
    rest = NIL
    if formals is not NIL:
        rest = temp("rest")
        names.append(formals)
        sets.append(L(core("set!"), formals, rest))
    if not names:
        names.append(temp("_"))
    # The last name's definition carries the computation (and is the last
    # value), so the result is a plain run of definitions in any context.
    last_tmp = rest if rest is not NIL else (req[-1] if req else False)
    setter = L(core("call-with-values"), L(core("lambda"), NIL, items[2]),
               Pair(core("lambda"), Pair(L(*req, tail=rest), L(*sets[:-1], last_tmp))))
    defs = [L(core("define"), n, False) for n in names[:-1]]
    return L(core("begin"), *defs, L(core("define"), names[-1], setter))


def receive(form, scope, ex, loc):
    items = items_of(form, "receive", loc)
    if len(items) < 4:
        raise SxSyntaxError("receive: expected (receive formals expr body ...)", (), loc)
    return L(core("call-with-values"), L(core("lambda"), NIL, items[2]),
             Pair(core("lambda"), Pair(items[1], form.cdr.cdr.cdr)))


# ---- conditionals ----------------------------------------------------------

def cond(form, scope, ex, loc):
    clauses = items_of(form.cdr, "cond", loc)
    out = UNSPECIFIED
    for i in range(len(clauses) - 1, -1, -1):
        c = clauses[i]
        if c.__class__ is not Pair:
            raise SxSyntaxError("cond: bad clause", (strip(c),), loc)
        parts = items_of(c, "cond clause", loc)
        if is_else(c.car, scope, ex):
            if i != len(clauses) - 1:
                raise SxSyntaxError("cond: else clause must be last", (), loc)
            if len(parts) < 2:
                raise SxSyntaxError("cond: empty else clause", (), loc)
            out = Pair(core("begin"), c.cdr)
        elif len(parts) == 1:
            t = temp("t")
            out = L(core("let"), L(L(t, c.car)), L(core("if"), t, t, out))
        elif ex.is_kw(parts[1], scope, "=>"):
            if len(parts) != 3:
                raise SxSyntaxError("cond: bad => clause", (strip(c),), loc)
            t = temp("t")
            out = L(core("let"), L(L(t, c.car)), L(core("if"), t, L(parts[2], t), out))
        else:
            out = L(core("if"), c.car, Pair(core("begin"), c.cdr), out)
    return out


def case(form, scope, ex, loc):
    items = items_of(form, "case", loc)
    if len(items) < 2:
        raise SxSyntaxError("case: missing key", (), loc)
    key = temp("key")
    out = UNSPECIFIED
    clauses = items[2:]
    for i in range(len(clauses) - 1, -1, -1):
        c = clauses[i]
        parts = items_of(c, "case clause", loc) if c.__class__ is Pair else []
        if len(parts) < 2:
            raise SxSyntaxError("case: bad clause", (strip(c),), loc)
        if ex.is_kw(parts[1], scope, "=>"):
            if len(parts) != 3:
                raise SxSyntaxError("case: bad => clause", (strip(c),), loc)
            result = L(parts[2], key)
        else:
            result = Pair(core("begin"), c.cdr)
        if is_else(c.car, scope, ex):
            if i != len(clauses) - 1:
                raise SxSyntaxError("case: else clause must be last", (), loc)
            out = result
            continue
        data = items_of(c.car, "case clause data", loc)
        test = L(core("memv"), key, quoted(c.car)) if len(data) != 1 else \
            L(core("eqv?"), key, quoted(data[0]))
        out = L(core("if"), test, result, out)
    return L(core("let"), L(L(key, items[1])), out)


def when(form, scope, ex, loc):
    body = body_of(form, "when", loc, 1)
    return L(core("if"), form.cdr.car, Pair(core("begin"), body))


def unless(form, scope, ex, loc):
    body = body_of(form, "unless", loc, 1)
    return L(core("if"), form.cdr.car, UNSPECIFIED, Pair(core("begin"), body))


def and_(form, scope, ex, loc):
    items = items_of(form.cdr, "and", loc)
    if not items:
        return True
    out = items[-1]
    for x in reversed(items[:-1]):
        out = L(core("if"), x, out, False)
    return out


def or_(form, scope, ex, loc):
    items = items_of(form.cdr, "or", loc)
    if not items:
        return False
    out = items[-1]
    for x in reversed(items[:-1]):
        t = temp("t")
        out = L(core("let"), L(L(t, x)), L(core("if"), t, t, out))
    return out


def do(form, scope, ex, loc):
    items = items_of(form, "do", loc)
    if len(items) < 3:
        raise SxSyntaxError("do: expected (do ((var init step) ...) (test expr ...) command ...)",
                            (), loc)
    specs = items_of(items[1], "do", loc)
    test_clause = items_of(items[2], "do test clause", loc)
    if not test_clause:
        raise SxSyntaxError("do: missing test", (), loc)
    loop = temp("loop")
    vars_, inits, steps = [], [], []
    for s in specs:
        p = items_of(s, "do binding", loc)
        if len(p) not in (2, 3) or not is_identifier(p[0]):
            raise SxSyntaxError("do: bad binding", (strip(s),), loc)
        vars_.append(p[0])
        inits.append(p[1])
        steps.append(p[2] if len(p) == 3 else p[0])
    result = Pair(core("begin"), L(UNSPECIFIED, *test_clause[1:]))
    again = L(core("begin"), *items[3:], L(loop, *steps))
    lam = L(core("lambda"), L(*vars_), L(core("if"), test_clause[0], result, again))
    return L(L(core("letrec"), L(L(loop, lam)), loop), *inits)


# ---- quasiquote --------------------------------------------------------------

def quasiquote(form, scope, ex, loc):
    items = items_of(form, "quasiquote", loc)
    if len(items) != 2:
        raise SxSyntaxError("quasiquote: expects one datum", (), loc)
    return _qq(items[1], 1, scope, ex, loc, _Template(items[1]))


class _Template:
    """The parts of a template that hold an unquote are copied: a cycle
    there cannot be (an error); a cycle in a constant part is a literal.
    Like the expander's watch, this looks for cycles only once copying has
    taken long enough for it to matter."""

    __slots__ = ("datum", "steps", "cyclic")

    def __init__(self, datum) -> None:
        self.datum = datum
        self.steps = 0
        self.cyclic = None

    def copying(self, x, loc) -> None:
        self.steps += 1
        if self.steps == 1024:
            self.cyclic = on_cycle(self.datum)
        refuse(x, self.cyclic, loc)


def _qq_has_unquote(x, depth) -> bool:
    seen = set()
    stack = [x]
    while stack:
        x = stack.pop()
        if x.__class__ is Pair or x.__class__ is list:
            if id(x) in seen:
                continue
            seen.add(id(x))
        if x.__class__ is Pair:
            if is_identifier(x.car) and root(x.car).name in ("unquote", "unquote-splicing"):
                return True
            stack.append(x.car)
            stack.append(x.cdr)
        elif x.__class__ is list:
            stack.extend(x)
    return False


def _qq(x, depth, scope, ex, loc, template: _Template):
    if not _qq_has_unquote(x, depth):
        return quoted(x)
    template.copying(x, loc)
    if x.__class__ is list:
        return L(core("list->vector"), _qq(L(*x), depth, scope, ex, loc, template))
    if x.__class__ is not Pair:
        return quoted(x)
    if ex.is_kw(x.car, scope, "unquote") and _one_arg(x):
        if depth == 1:
            return x.cdr.car
        # Nested: the operand list is processed one level down, so an
        # unquote-splicing directly inside splices into it.
        return L(core("cons"), quoted(x.car), _qq(x.cdr, depth - 1, scope, ex, loc, template))
    if ex.is_kw(x.car, scope, "unquote-splicing") and _one_arg(x):
        # Not an element of a list: the template itself, or after a dot.
        if depth == 1:
            raise SxSyntaxError("unquote-splicing: not inside a list or vector",
                                (strip(x),), loc)
        return L(core("cons"), quoted(x.car), _qq(x.cdr, depth - 1, scope, ex, loc, template))
    if ex.is_kw(x.car, scope, "quasiquote") and _one_arg(x):
        return L(core("cons"), quoted(x.car), _qq(x.cdr, depth + 1, scope, ex, loc, template))
    head = x.car
    if head.__class__ is Pair and ex.is_kw(head.car, scope, "unquote-splicing") and _one_arg(head):
        rest = _qq(x.cdr, depth, scope, ex, loc, template)
        if depth == 1:
            return L(core("append"), head.cdr.car, rest)
        inner = L(core("cons"), quoted(head.car),
                  _qq(head.cdr, depth - 1, scope, ex, loc, template))
        return L(core("cons"), inner, rest)
    return L(core("cons"), _qq(head, depth, scope, ex, loc, template),
             _qq(x.cdr, depth, scope, ex, loc, template))


def _one_arg(x) -> bool:
    return x.cdr.__class__ is Pair and x.cdr.cdr is NIL


# ---- records, procedures, promises, parameters, guard --------------------------

def define_record_type(form, scope, ex, loc):
    items = items_of(form, "define-record-type", loc)
    if len(items) < 3:
        raise SxSyntaxError("define-record-type: expected type name, constructor, predicate", (), loc)
    tname, ctor, pred = items[1], items[2], items[3] if len(items) > 3 else False
    fields = [items_of(f, "define-record-type field", loc) if f.__class__ is Pair else [f]
              for f in items[4:]]
    for f, spec in zip(fields, items[4:]):
        if not f or len(f) > 3 or not all(is_identifier(x) for x in f):
            raise SxSyntaxError("define-record-type: bad field spec", (strip(spec),), loc)
    if not is_identifier(tname):
        raise SxSyntaxError("define-record-type: bad type name", (strip(tname),), loc)
    if not (ctor is False or is_identifier(ctor) or (
            ctor.__class__ is Pair and all(is_identifier(x) for x in items_of(
                ctor, "define-record-type constructor", loc)))):
        raise SxSyntaxError("define-record-type: bad constructor spec", (strip(ctor),), loc)
    if not (pred is False or is_identifier(pred)):
        raise SxSyntaxError("define-record-type: bad predicate name", (strip(pred),), loc)
    field_names = [root(f[0]) for f in fields]
    pretty = root(tname).name
    if pretty.startswith("<") and pretty.endswith(">") and len(pretty) > 2:
        pretty = pretty[1:-1]
    out = [L(core("define"), tname,
             L(core("%make-record-type"), quoted(intern(pretty)), quoted(L(*field_names))))]
    if ctor is not False:
        if is_identifier(ctor):
            cname, cfields = ctor, field_names
        else:
            cparts = items_of(ctor, "define-record-type constructor", loc)
            cname, cfields = cparts[0], [root(c) for c in cparts[1:]]
            for c in cfields:
                if c not in field_names:
                    raise SxSyntaxError(f"define-record-type: constructor field {c.name} is not a field",
                                        (), loc)
        out.append(L(core("define"), cname, L(core("%record-constructor"), tname,
                                               quoted(L(*cfields)), quoted(root(cname)))))
    if pred is not False:
        out.append(L(core("define"), pred, L(core("%record-predicate"), tname)))
    for f in fields:
        fname = quoted(root(f[0]))
        if len(f) > 1:
            out.append(L(core("define"), f[1], L(core("%record-accessor"), tname, fname,
                                                  quoted(root(f[1])))))
        if len(f) > 2:
            out.append(L(core("define"), f[2], L(core("%record-modifier"), tname, fname,
                                                  quoted(root(f[2])))))
    return L(core("begin"), *out)


def case_lambda(form, scope, ex, loc):
    clauses = items_of(form.cdr, "case-lambda", loc)
    lams = []
    for c in clauses:
        if c.__class__ is not Pair or c.cdr.__class__ is not Pair:
            raise SxSyntaxError("case-lambda: bad clause", (strip(c),), loc)
        lams.append(Pair(core("lambda"), c))
    return L(core("%case-lambda"), *lams)


def delay(form, scope, ex, loc):
    items = items_of(form, "delay", loc)
    if len(items) != 2:
        raise SxSyntaxError("delay: expects one expression", (), loc)
    return L(core("%make-promise"), False,
             L(core("lambda"), NIL, L(core("%make-promise"), True, items[1])))


def delay_force(form, scope, ex, loc):
    items = items_of(form, "delay-force", loc)
    if len(items) != 2:
        raise SxSyntaxError("delay-force: expects one expression", (), loc)
    return L(core("%make-promise"), False, L(core("lambda"), NIL, items[1]))


def parameterize(form, scope, ex, loc):
    body = body_of(form, "parameterize", loc, 1)
    binds = items_of(form.cdr.car, "parameterize", loc)
    params, vals = [], []
    for b in binds:
        p = items_of(b, "parameterize binding", loc)
        if len(p) != 2:
            raise SxSyntaxError("parameterize: bad binding", (strip(b),), loc)
        params.append(p[0])
        vals.append(p[1])
    return L(core("%parameterize"), Pair(core("list"), L(*params)), Pair(core("list"), L(*vals)),
             Pair(core("lambda"), Pair(NIL, body)))


def guard(form, scope, ex, loc):
    # R7RS semantics: the clauses run in the dynamic environment of the
    # guard; if none matches, the condition is re-raised (raise-continuable)
    # in the dynamic environment of the original raise.
    if form.cdr.__class__ is not Pair or form.cdr.car.__class__ is not Pair:
        raise SxSyntaxError("guard: expected (guard (var clause ...) body ...)", (), loc)
    spec = form.cdr.car
    var = spec.car
    if not is_identifier(var):
        raise SxSyntaxError("guard: bad variable", (strip(var),), loc)
    body = body_of(form, "guard", loc, 1)
    clauses = items_of(spec.cdr, "guard clauses", loc)
    gk, hk, cond_, args = temp("guard-k"), temp("handler-k"), temp("condition"), temp("args")
    reraise = L(hk, L(core("lambda"), NIL, L(core("raise-continuable"), cond_)))
    has_else = clauses and clauses[-1].__class__ is Pair and is_else(clauses[-1].car, scope, ex)
    if not has_else:
        clauses = clauses + [L(core("else"), reraise)]
    handler = L(core("lambda"), L(cond_),
                L(L(core("call/cc"),
                    L(core("lambda"), L(hk),
                      L(gk, L(core("lambda"), NIL,
                              L(core("let"), L(L(var, cond_)),
                                Pair(core("cond"), L(*clauses)))))))))
    # The body's values leave as a thunk returned through call/cc, not by
    # calling guard-k as R7RS's sample expansion does: the same exit from
    # the handler's extent, without a continuation jump (which costs an
    # escape through every frame in between) on the path taken every time.
    thunk = L(core("lambda"), NIL,
              L(core("call-with-values"), Pair(core("lambda"), Pair(NIL, body)),
                L(core("lambda"), args,
                  L(core("lambda"), NIL, L(core("apply"), core("values"), args)))))
    # The body's thunk is made outside the receiver, so that the values'
    # thunk it returns holds no environment in which guard-k lives: that
    # continuation is then dead once the guard is left, and call/cc's
    # escape-only continuation needs no frames (see the tiers' call/cc).
    body_thunk = temp("guard-body")
    return L(core("let"), L(L(body_thunk, thunk)),
             L(L(core("call/cc"),
                 L(core("lambda"), L(gk), L(core("with-exception-handler"), handler, body_thunk)))))


def assert_(form, scope, ex, loc):
    items = items_of(form, "assert", loc)
    if len(items) != 2:
        raise SxSyntaxError("assert: expects one expression", (), loc)
    return L(core("if"), items[1], UNSPECIFIED,
             L(core("error"), MString("assertion failed:"), quoted(strip(items[1]))))


DERIVED = {
    "let*": let_star, "let-values": let_values,
    "let*-values": lambda f, s, e, l: let_values(f, s, e, l, sequential=True),
    "define-values": define_values, "receive": receive, "cond": cond, "case": case,
    "when": when, "unless": unless, "and": and_, "or": or_, "do": do,
    "quasiquote": quasiquote, "define-record-type": define_record_type,
    "case-lambda": case_lambda, "delay": delay, "delay-force": delay_force,
"parameterize": parameterize, "guard": guard,
    "assert": assert_,
}


def install_derived(env: Environment) -> None:
    global SYSTEM
    SYSTEM = env
    for name, fn in DERIVED.items():
        env.table[intern(name)] = Macro(fn, name)
