"""define-library, import sets, cond-expand features, the standard libraries.

A library is a table name -> binding. User libraries share their cells with
importers (so an exported variable's later assignments are seen). Standard
libraries are views of the system environment; importing one into an
environment gives it *copies* of the system cells, so a program that
redefines `car` cannot break the runtime's own use of it.

This module knows the expander only through the object it is handed: the
expander (core.py) imports it, never the other way round.
"""

from __future__ import annotations

from ..errors import SxSyntaxError
from ..runtime.system import FEATURE_NAMES as FEATURES
from ..values import NIL, Cell, Pair, Symbol, intern
from .cycles import on_cycle, spine
from .syntax import Environment, Identifier, is_identifier, root, strip

_STD = {
    "base": """* + - ... / < <= = => > >= _ abs and append apply assoc assq assv begin
        binary-port? boolean=? boolean? bytevector bytevector-append bytevector-copy
        bytevector-copy! bytevector-length bytevector-u8-ref bytevector-u8-set! bytevector?
        caar cadr call-with-current-continuation call-with-port call-with-values call/cc car
        case cdar cddr cdr ceiling char->integer char-ready? char<=? char<? char=? char>=?
        char>? char? close-input-port close-output-port close-port complex? cond cond-expand
        cons current-error-port current-input-port current-output-port define
        define-record-type define-syntax define-values denominator do dynamic-wind else
        eof-object eof-object? eq? equal? eqv? error error-object-irritants
        error-object-message error-object? even? exact exact-integer-sqrt exact-integer?
        exact? expt features file-error? floor floor-quotient floor-remainder floor/
        flush-output-port for-each gcd get-output-bytevector get-output-string guard if
        import include include-ci inexact inexact? input-port-open? input-port? integer->char
        integer? lambda lcm length let let* let*-values let-syntax let-values letrec letrec*
        letrec-syntax list list->string list->vector list-copy list-ref list-set! list-tail
        list? make-bytevector make-list make-parameter make-string make-vector map max member
        memq memv min modulo negative? newline not null? number->string number? numerator
        odd? open-input-bytevector open-input-string open-output-bytevector
        open-output-string or output-port-open? output-port? pair? parameterize peek-char
        peek-u8 positive? procedure? quasiquote quote quotient raise raise-continuable
        rational? rationalize read-bytevector read-bytevector! read-char read-error?
        read-line read-string read-u8 real? remainder reverse round set! set-car! set-cdr!
        square string string->list string->number string->symbol string->utf8
        string->vector string-append string-copy string-copy! string-fill! string-for-each
        string-length string-map string-ref string-set! string<=? string<? string=?
        string>=? string>? string? substring symbol->string symbol=? symbol? syntax-error
        syntax-rules textual-port? truncate truncate-quotient truncate-remainder truncate/
        u8-ready? unless unquote unquote-splicing utf8->string values vector vector->list
        vector->string vector-append vector-copy vector-copy! vector-fill! vector-for-each
        vector-length vector-map vector-ref vector-set! vector? when with-exception-handler
        write-bytevector write-char write-string write-u8 zero?""",
    "case-lambda": "case-lambda",
    "char": """char-alphabetic? char-ci<=? char-ci<? char-ci=? char-ci>=? char-ci>?
        char-downcase char-foldcase char-lower-case? char-numeric? char-upcase
        char-upper-case? char-whitespace? digit-value string-ci<=? string-ci<? string-ci=?
        string-ci>=? string-ci>? string-downcase string-foldcase string-upcase""",
    "complex": "angle imag-part magnitude make-polar make-rectangular real-part",
    "cxr": """caaar caadr cadar caddr cdaar cdadr cddar cdddr caaaar caaadr caadar caaddr
        cadaar cadadr caddar cadddr cdaaar cdaadr cdadar cdaddr cddaar cddadr cdddar cddddr""",
    "eval": "environment eval",
    "file": """call-with-input-file call-with-output-file delete-file file-exists?
        open-binary-input-file open-binary-output-file open-input-file open-output-file
        with-input-from-file with-output-to-file""",
    "inexact": "acos asin atan cos exp finite? infinite? log nan? sin sqrt tan",
    "lazy": "delay delay-force force make-promise promise?",
    "load": "load",
    "process-context": "command-line emergency-exit exit get-environment-variable "
                       "get-environment-variables",
    "read": "read",
    # R5RS's bindings (R7RS appendix A): its syntax, including the
    # auxiliary keywords, and its procedures under their R5RS names.
    "r5rs": """* + - ... / < <= = => > >= _ abs acos and angle append apply asin assoc assq
        assv atan begin boolean? caaaar caaadr caaar caadar caaddr caadr caar cadaar cadadr
        cadar caddar cadddr caddr cadr call-with-current-continuation call-with-input-file
        call-with-output-file call-with-values car case cdaaar cdaadr cdaar cdadar cdaddr
        cdadr cdar cddaar cddadr cddar cdddar cddddr cdddr cddr cdr ceiling char->integer
        char-alphabetic? char-ci<=? char-ci<? char-ci=? char-ci>=? char-ci>? char-downcase
        char-lower-case? char-numeric? char-ready? char-upcase char-upper-case?
        char-whitespace? char<=? char<? char=? char>=? char>? char? close-input-port
        close-output-port complex? cond cons cos current-input-port current-output-port
        define define-syntax delay denominator display do dynamic-wind else eof-object?
        eq? equal? eqv? eval even? exact->inexact exact? exp expt floor for-each force gcd
        if imag-part inexact->exact inexact? input-port? integer->char integer?
        interaction-environment lambda lcm length let let* let-syntax letrec letrec-syntax
        list list->string list->vector list-ref list-tail list? load log magnitude
        make-polar make-rectangular make-string make-vector map max member memq memv min
        modulo negative? newline not null-environment null? number->string number?
        numerator odd? open-input-file open-output-file or output-port? pair? peek-char
        positive? procedure? quasiquote quote quotient rational? rationalize read
        read-char real-part real? remainder reverse round scheme-report-environment set!
        set-car! set-cdr! sin sqrt string string->list string->number string->symbol
        string-append string-ci<=? string-ci<? string-ci=? string-ci>=? string-ci>?
        string-copy string-fill! string-length string-ref string-set! string<=? string<?
        string=? string>=? string>? string? substring symbol->string symbol? syntax-rules
        tan truncate unquote unquote-splicing values vector vector->list vector-fill!
        vector-length vector-ref vector-set! vector? with-input-from-file
        with-output-to-file write write-char zero?""",
    "repl": "interaction-environment",
    "time": "current-jiffy current-second jiffies-per-second",
    "write": "display write write-shared write-simple",
}
STANDARD_LIBRARIES = {("scheme", k): v.split() for k, v in _STD.items()}

SYSTEM: Environment | None = None
LIBRARIES: dict[tuple, dict] = {}  # user libraries: name -> {Symbol: binding}


def install_libraries(system: Environment) -> None:
    global SYSTEM
    SYSTEM = system


def items(lst, what: str, loc) -> list:
    """The elements of a proper list (a library declaration, an import set)."""
    out, tail = spine(lst, loc)
    if tail is not NIL:
        raise SxSyntaxError(f"{what}: not a proper list", (strip(lst),), loc)
    return out


def library_name(spec, loc) -> tuple:
    parts = []
    elems, tail = spine(spec, loc)
    for x in elems:
        if is_identifier(x):
            parts.append(root(x).name)
        elif type(x) is int and x >= 0:
            parts.append(str(x))
        else:
            raise SxSyntaxError("bad library name part:", (strip(x),), loc)
    if tail is not NIL or not parts:
        raise SxSyntaxError("bad library name", (strip(spec),), loc)
    return tuple(parts)


def library_exports(name: tuple, loc) -> dict:
    """{Symbol: binding} for a library name; standard ones view the system env."""
    if name in LIBRARIES:
        return LIBRARIES[name]
    if name == ("sx",) or name == ("scheme", "base", "all"):
        return dict(SYSTEM.table)
    names = STANDARD_LIBRARIES.get(name)
    if names is None:
        raise SxSyntaxError(f"unknown library ({' '.join(name)})", (), loc)
    out = {}
    for n in names:
        sym = intern(n)
        b = SYSTEM.table.get(sym)
        if b is not None:
            out[sym] = b
    return out


def import_set(spec, loc) -> tuple[dict, bool]:
    """Resolve an import set to ({Symbol: binding}, from_standard_library)."""
    if spec.__class__ is not Pair:
        raise SxSyntaxError("bad import set:", (strip(spec),), loc)
    head = root(spec.car).name if is_identifier(spec.car) else None
    args, _ = spine(spec.cdr, loc)
    if head in ("only", "except", "prefix", "rename") and args and args[0].__class__ is Pair:
        inner, std = import_set(args[0], loc)
        rest = args[1:]
        if not all(is_identifier(x) for x in rest) and head != "rename":
            raise SxSyntaxError(f"import {head}: expected identifiers", (strip(spec),), loc)
        if head == "only":
            keep = {root(x) for x in rest}
            missing = keep - set(inner)
            if missing:
                raise SxSyntaxError("import only: not exported:", tuple(sorted(missing, key=str)), loc)
            return {k: v for k, v in inner.items() if k in keep}, std
        if head == "except":
            drop = {root(x) for x in rest}
            return {k: v for k, v in inner.items() if k not in drop}, std
        if head == "prefix":
            if len(rest) != 1 or not is_identifier(rest[0]):
                raise SxSyntaxError("import prefix: expected one identifier", (), loc)
            pre = root(rest[0]).name
            return {intern(pre + k.name): v for k, v in inner.items()}, std
        out = dict(inner)
        for r in rest:
            pair = [root(x) for x in items(r, "import rename", loc)]
            if len(pair) != 2 or not all(is_identifier(x) for x in pair) or pair[0] not in out:
                raise SxSyntaxError("import rename: bad rename", (strip(r),), loc)
            out[pair[1]] = out.pop(pair[0])
        return out, std
    name = library_name(spec, loc)
    return library_exports(name, loc), name not in LIBRARIES


def do_import(spec, env: Environment, loc) -> None:
    """Bind in `env` what the import set `spec` names."""
    _bind(env, *import_set(spec, loc))


def _bind(env: Environment, bindings: dict, std: bool) -> None:
    for sym, b in bindings.items():
        if std and b.__class__ is Cell:
            # A copy, unless this environment already has its own cell.
            if env.table.get(sym).__class__ is not Cell:
                env.table[sym] = Cell(sym, b.value)
        else:
            env.table[sym] = b


def define_library(form, ex, loc) -> None:
    """Define the library `form` declares. `ex` is the expander of the unit
    the form is in: the library's bodies are expanded by a fresh expander
    of the same unit (`ex.fresh()`) and run with `ex.evaluate`."""
    decls = items(form.cdr, "define-library", loc)
    if not decls:
        raise SxSyntaxError("define-library: missing name", (), loc)
    name = library_name(decls[0], loc)
    lib_env = Environment(" ".join(name))
    exports = []  # (internal Symbol, external Symbol)
    sub = ex.fresh()

    def declaration(d):
        if d.__class__ is not Pair or not is_identifier(d.car):
            raise SxSyntaxError("define-library: bad declaration", (strip(d),), loc)
        kind = root(d.car).name
        if kind == "export":
            for e in items(d.cdr, "export", loc):
                if is_identifier(e):
                    exports.append((root(e), root(e)))
                else:
                    r = items(e, "export", loc) if e.__class__ is Pair else []
                    if (len(r) != 3 or not all(is_identifier(x) for x in r)
                            or root(r[0]).name != "rename"):
                        raise SxSyntaxError("define-library: bad export spec", (strip(e),), loc)
                    exports.append((root(r[1]), root(r[2])))
        elif kind == "import":
            for s in items(d.cdr, "import", loc):
                if on_cycle(s) is not None:
                    raise SxSyntaxError("cyclic structure in source", (), loc)
                do_import(s, lib_env, loc)
        elif kind in ("begin", "include", "include-ci"):
            node = sub.toplevel(Pair(_alias(kind), d.cdr), lib_env, ex.loc(d, loc))
            ex.evaluate(node, lib_env)
        elif kind == "include-library-declarations":
            raise SxSyntaxError("include-library-declarations is not supported", (), loc)
        elif kind == "cond-expand":
            if id(d) in active:   # a declaration inside itself
                raise SxSyntaxError("cyclic structure in source", (), loc)
            active.add(id(d))
            for clause in items(d.cdr, "cond-expand", loc):
                if clause.__class__ is not Pair:
                    raise SxSyntaxError("cond-expand: bad clause", (strip(clause),), loc)
                if on_cycle(clause.car) is not None:
                    raise SxSyntaxError("cyclic structure in source", (), loc)
                if feature_match(clause.car, loc):
                    for dd in items(clause.cdr, "cond-expand", loc):
                        declaration(dd)
                    break
            active.discard(id(d))
        else:
            raise SxSyntaxError(f"define-library: unknown declaration {kind}", (), loc)

    active: set = set()   # the cond-expand declarations being expanded
    for d in decls[1:]:
        declaration(d)
    table = {}
    for internal, external in exports:
        b = lib_env.table.get(internal)
        if b is None:
            b = lib_env.cell(internal)  # exported but not yet defined: share the cell
        table[external] = b
    LIBRARIES[name] = table


def _alias(name: str):
    return Identifier(intern(name), SYSTEM)


def feature_match(req, loc) -> bool:
    if is_identifier(req):
        n = root(req).name
        return n == "else" or n in FEATURES
    if req.__class__ is Pair and is_identifier(req.car):
        op = root(req.car).name
        args = items(req.cdr, "cond-expand", loc)
        if op == "and":
            return all(feature_match(a, loc) for a in args)
        if op == "or":
            return any(feature_match(a, loc) for a in args)
        if op == "not" and len(args) == 1:
            return not feature_match(args[0], loc)
        if op == "library" and len(args) == 1:
            name = library_name(args[0], loc)
            return name in LIBRARIES or name in STANDARD_LIBRARIES or name == ("sx",)
    raise SxSyntaxError("cond-expand: bad feature requirement", (strip(req),), loc)


R5RS = ("scheme", "r5rs")


def r5rs_environment(syntax_only: bool) -> Environment:
    """`(scheme-report-environment 5)`: a fresh environment holding the
    bindings of (scheme r5rs); `(null-environment 5)`: only its syntactic
    keywords (the bindings that are not variables)."""
    bindings = library_exports(R5RS, None)
    if syntax_only:
        bindings = {sym: b for sym, b in bindings.items() if b.__class__ is not Cell}
    env = Environment("r5rs")
    _bind(env, bindings, True)
    return env


def environment_from_specs(specs: list) -> Environment:
    """R7RS `environment`: a fresh environment holding the given imports."""
    env = Environment("eval")
    for s in specs:
        if on_cycle(s) is not None:
            raise SxSyntaxError("cyclic structure in source", (), None)
        do_import(s, env, None)
    return env


__all__ = ["install_libraries", "do_import", "define_library", "feature_match",
           "environment_from_specs", "r5rs_environment", "FEATURES", "Symbol"]
