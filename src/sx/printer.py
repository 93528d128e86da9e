"""External representations of SX values: `write`, `write-shared`,
`write-simple`, `display`, and the one-line text of an uncaught condition.

Everything here is iterative: a list 10^6 long or nested 10^5 deep prints
without touching Python's recursion limit. Printing runs in two passes:

  1. a scan that decides which objects need datum labels (`#0=` / `#0#`):
     for `write`/`display` the targets of back edges of a depth-first walk
     (exactly the objects that close a cycle), for `write-shared` every
     object met more than once; `write-simple` skips the scan;
  2. a render driven by an explicit work stack, visiting children in the
     same order as the scan, so the labels found in pass 1 are the ones
     pass 2 meets first.
"""

from __future__ import annotations

import re

from .errors import ErrorObject, set_condition_text
from .numsyntax import number_to_string, parse_number
from .values import (
    DEFAULT, EOF_OBJECT, NIL, NUMBER_TYPES, UNASSIGNED, UNBOUND, UNSPECIFIED,
    Char, Continuation, Dict, Keyword, MString, MultipleValues, Pair, Parameter,
    Primitive, Procedure, Promise, Record, RecordType, Symbol, set_pair_repr,
)

__all__ = [
    "write_string", "write_shared_string", "write_simple_string",
    "display_string", "format_condition",
]


# ---------------------------------------------------------------- public API

def write_string(x) -> str:
    """R7RS `write`: labels only where there is a cycle."""
    if not _is_node(x, False):
        return _atom_text(x, True)
    return _render(x, True, _cycle_targets(x), _SIMPLE_WRITE)


def write_shared_string(x) -> str:
    """R7RS `write-shared`: labels on every pair/vector/string met twice."""
    if not _is_node(x, True):
        return _atom_text(x, True)
    return _render(x, True, _shared_targets(x), _SIMPLE_SHARED)


def write_simple_string(x) -> str:
    """R7RS `write-simple`: no labels (loops forever on a cycle, as allowed)."""
    if not _is_node(x, False):
        return _atom_text(x, True)
    return _render(x, True, None, _SIMPLE_WRITE)


def display_string(x) -> str:
    """R7RS `display`: strings and characters raw, cycles labelled like `write`."""
    t = type(x)
    if t is MString:  # the hot case: (display "text")
        return x.s
    if not _is_node(x, False):
        return _atom_text(x, False)
    return _render(x, False, _cycle_targets(x), _SIMPLE_DISPLAY)


def format_condition(payload) -> str:
    """The one-line text shown for an uncaught condition."""
    if isinstance(payload, ErrorObject):
        msg = payload.message
        parts = [msg.s if type(msg) is MString else str(msg)]
        parts.extend(write_string(i) for i in payload.irritants)
        return " ".join(parts)
    return "uncaught exception: " + write_string(payload)


# values.py and errors.py cannot import this module (they are below it), yet
# Python shows a pair and an error through them: hand them the writers.
set_pair_repr(write_string)
set_condition_text(format_condition)


# ------------------------------------------------------------- graph shape

# The types of the objects that can be labelled: those that can contain
# others, plus (for write-shared) strings, whose identity is observable.
_NODES = frozenset((Pair, list, ErrorObject, MultipleValues, Dict))
_SHARED_NODES = _NODES | {MString}


def _node_types(shared: bool) -> frozenset:
    return _SHARED_NODES if shared else _NODES


def _is_node(x, shared: bool) -> bool:
    return type(x) in _node_types(shared)


def _dict_items(x) -> list:
    """Keys and values of a Dict, alternating, in insertion order."""
    flat = []
    for k, v in x.table.values():
        flat.append(k)
        flat.append(v)
    return flat


def _children(x) -> list:
    """The contained values of a node, in printing order."""
    t = type(x)
    if t is Pair:
        return [x.car, x.cdr]
    if t is list:
        return x
    if t is ErrorObject:
        return x.irritants
    if t is MultipleValues:
        return x.vals
    if t is MString:
        return []
    return _dict_items(x)


def _cycle_targets(root) -> set:
    """Ids of the objects entered again while still being walked (in
    printing order): every cycle contains such a back edge, so labelling
    them makes the output finite, and nothing else is labelled.

    A tuple on the work stack holds the ids of nodes whose walk is finished
    once it is popped; a run of pairs along a cdr chain shares one tuple."""
    nodes = _node_types(False)
    active = {}   # id -> True while walking inside, False once finished
    targets = set()
    stack = [root]
    while stack:
        x = stack.pop()
        if type(x) is tuple:
            for i in x:
                active[i] = False
            continue
        if type(x) is not Pair:
            if type(x) not in nodes:
                continue
            i = id(x)
            state = active.get(i)
            if state is None:
                active[i] = True
                stack.append((i,))
                stack.extend(c for c in reversed(_children(x)) if type(c) in nodes)
            elif state:
                targets.add(i)
            continue
        chain = []   # pairs entered along this cdr chain
        while type(x) is Pair:
            i = id(x)
            state = active.get(i)
            if state is not None:
                if state:
                    targets.add(i)
                break
            active[i] = True
            chain.append(i)
            car, x = x.car, x.cdr
            if type(car) in nodes:   # walk the car first, then resume the chain
                stack.append(tuple(chain))
                if type(x) is Pair or type(x) in nodes:
                    stack.append(x)
                stack.append(car)
                chain = None
                break
        else:
            if type(x) in nodes:   # the chain ends in a vector or the like
                stack.append(tuple(chain))
                stack.append(x)
                continue
        if chain:
            for i in chain:
                active[i] = False
    return targets


def _shared_targets(root) -> set:
    """Ids of the objects reachable along more than one path."""
    nodes = _node_types(True)
    seen = set()
    targets = set()
    stack = [root]
    while stack:
        x = stack.pop()
        if type(x) not in nodes:
            continue
        i = id(x)
        if i in seen:
            targets.add(i)
            continue
        seen.add(i)
        if type(x) is Pair:
            stack.append(x.cdr)
            stack.append(x.car)
        else:
            stack.extend(reversed(_children(x)))
    return targets


# ------------------------------------------------------------------ render

# Work-stack entries are tuples whose first element says what to do.
_VALUE, _TEXT, _TAIL, _SEQ = range(4)

def _render(root, write: bool, labels, simple: dict) -> str:
    """`simple` maps the types printed inline, without a trip through the
    work stack (they contain nothing and are never labelled), to a function
    giving their text."""
    out = []
    emit = out.append
    numbers = {}  # id -> label number, assigned at first appearance
    stack = [(_VALUE, root)]
    while stack:
        item = stack.pop()
        op = item[0]
        if op == _VALUE:
            x = item[1]
            if labels and id(x) in labels:
                n = numbers.get(id(x))
                if n is not None:
                    emit(f"#{n}#")
                    continue
                n = numbers[id(x)] = len(numbers)
                emit(f"#{n}=")
            _render_value(x, write, emit, stack)
        elif op == _TEXT:
            emit(item[1])
        elif op == _TAIL:
            _render_tail(item[1], labels, emit, stack, simple)
        else:  # _SEQ: items[i:] separated by spaces, then a closer
            _, items, i, closer = item
            n = len(items)
            while i < n:
                if i:
                    emit(" ")
                x = items[i]
                f = simple.get(type(x))
                if f is None:
                    stack.append((_SEQ, items, i + 1, closer))
                    stack.append((_VALUE, x))
                    break
                emit(f(x))
                i += 1
            else:
                emit(closer)
    return "".join(out)


def _render_value(x, write, emit, stack) -> None:
    t = type(x)
    if t is Pair:
        # (quote x) is written as the list it is, never as 'x (likewise
        # quasiquote, unquote, unquote-splicing): R7RS leaves the choice
        # open, both read back the same, and the long form is what other
        # Schemes' `write` prints (Guile's, for one).
        emit("(")
        stack.append((_TAIL, x.cdr))
        stack.append((_VALUE, x.car))
    elif t is list:
        emit("#(")
        stack.append((_SEQ, x, 0, ")"))
    elif t is ErrorObject:
        msg = x.message if type(x.message) is MString else MString(str(x.message))
        emit("#<error ")
        stack.append((_SEQ, [msg, *x.irritants], 0, ">"))
    elif t is MultipleValues:
        stack.append((_SEQ, x.vals, 0, ""))
    elif t is Dict:
        items = _dict_items(x)
        emit("#<dict" + (" " if items else ""))
        stack.append((_SEQ, items, 0, ">"))
    else:
        emit(_atom_text(x, write))


def _render_tail(rest, labels, emit, stack, simple) -> None:
    """Continue a list after an element: more elements, `)`, or a dotted
    tail. Runs of simple elements are printed in this loop."""
    while True:
        if rest is NIL:
            emit(")")
            return
        if type(rest) is not Pair or (labels and id(rest) in labels):
            emit(" . ")
            stack.append((_TEXT, ")"))
            stack.append((_VALUE, rest))
            return
        emit(" ")
        x = rest.car
        rest = rest.cdr
        f = simple.get(type(x))
        if f is None:
            stack.append((_TAIL, rest))
            stack.append((_VALUE, x))
            return
        emit(f(x))


# ------------------------------------------------------------------- atoms

_SPECIAL = {
    id(EOF_OBJECT): "#<eof>",
    id(UNSPECIFIED): "#<unspecified>",
    id(DEFAULT): "#<default>",
    id(UNASSIGNED): "#<unassigned>",
    id(UNBOUND): "#<unbound>",
}


def _atom_text(x, write: bool) -> str:
    t = type(x)
    if t is bool:
        return "#t" if x else "#f"
    if t in NUMBER_TYPES:
        return number_to_string(x)
    if t is Symbol:
        return _symbol_text(x.name) if write else x.name
    if t is MString:
        return _string_literal(x.s) if write else x.s
    if t is Char:
        return _char_literal(x.c) if write else x.c
    if x is NIL:
        return "()"
    if t is Keyword:
        return ":" + x.name
    if t is bytearray or t is bytes:
        return "#u8(" + " ".join(map(str, x)) + ")"
    if t is str:  # a Python string leaked into SX data: show it as a string
        return _string_literal(x) if write else x
    special = _SPECIAL.get(id(x))
    if special is not None:
        return special
    return _object_text(x)


def _object_text(x) -> str:
    """`#<...>` forms for values without an external representation."""
    if isinstance(x, Continuation):
        return "#<continuation>"
    if isinstance(x, Parameter):
        return "#<parameter>"
    if isinstance(x, (Primitive, Procedure)) or getattr(x, "sx_procedure", False):
        name = getattr(x, "name", None)
        return f"#<procedure {_name_text(name)}>" if name is not None else "#<procedure>"
    if isinstance(x, Record):
        return f"#<record {_type_name(x.rtype)}>"
    if isinstance(x, RecordType):
        return f"#<record-type {_type_name(x)}>"
    if isinstance(x, Promise):
        return "#<promise>"
    name = getattr(x, "sx_name", None) or type(x).__name__
    return f"#<{name}>"


def _name_text(name) -> str:
    if type(name) is Symbol:
        return name.name
    if type(name) is MString:
        return name.s
    return str(name)


def _type_name(rtype) -> str:
    """`point` for a record type declared as `<point>` or `point`."""
    name = _name_text(rtype.name)
    if len(name) > 2 and name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    return name


_CHAR_NAMES = {
    "\x07": "alarm", "\x08": "backspace", "\x7f": "delete", "\x1b": "escape",
    "\n": "newline", "\x00": "null", "\r": "return", " ": "space", "\t": "tab",
}


def _char_literal(c: str) -> str:
    name = _CHAR_NAMES.get(c)
    if name is not None:
        return "#\\" + name
    if c.isprintable():
        return "#\\" + c
    return f"#\\x{ord(c):x}"


_STRING_ESCAPES = {
    "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x07": "\\a", "\x08": "\\b",
    "\\": "\\\\",
}


def _escape(s: str, quote: str) -> str:
    """Escape `s` for a literal delimited by `quote` (`"` or `|`)."""
    out = []
    for c in s:
        if c == quote:
            out.append("\\" + c)
        elif c in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[c])
        elif c.isprintable():
            out.append(c)
        else:
            out.append(f"\\x{ord(c):x};")
    return "".join(out)


def _string_literal(s: str) -> str:
    if s.isprintable() and '"' not in s and "\\" not in s:  # common fast path
        return '"' + s + '"'
    return '"' + _escape(s, '"') + '"'


# Characters that end or change the meaning of a bare symbol in the reader.
_DELIMITING = re.compile(r"[\s()\[\]{}\"';`,|\\]")
_NUMBER_PREFIXES = ("+inf.0", "-inf.0", "+nan.0", "-nan.0")


_symbol_cache: dict[str, str] = {}


def _symbol_text(name: str) -> str:
    text = _symbol_cache.get(name)
    if text is None:
        text = "|" + _escape(name, "|") + "|" if _needs_bars(name) else name
        if len(_symbol_cache) >= 8192:   # gensyms are unbounded: stay small
            _symbol_cache.clear()
        _symbol_cache[name] = text
    return text


def _needs_bars(name: str) -> bool:
    if name == "" or name == ".":
        return True
    first = name[0]
    # `#` would read as #-syntax, `:` as a keyword; `@` after a comma as
    # unquote-splicing (`,@x` is not (unquote @x)), and R7RS has no
    # identifier starting with `@`.
    if first == "#" or first == ":" or first == "@":
        return True
    if _DELIMITING.search(name) or not name.isprintable():
        return True
    return _looks_numeric(name)


def _looks_numeric(name: str) -> bool:
    """True when the reader could take `name` for a number. Errs on the side
    of bars: `|1+|` reads back the same as `1+` would."""
    first = name[0]
    if first.isdigit():
        return True
    rest = name[1:]
    if first in "+-":
        if rest[:1].isdigit() or (rest[:1] == "." and rest[1:2].isdigit()):
            return True
        low = name.lower()
        if low in ("+i", "-i") or low.startswith(_NUMBER_PREFIXES):
            return True
    elif first == "." and rest[:1].isdigit():
        return True
    return first in "+-." and parse_number(name) is not None


_SIMPLE_SHARED = {
    bool: lambda x: "#t" if x else "#f",
    **dict.fromkeys(NUMBER_TYPES, number_to_string),
    Symbol: lambda x: _symbol_text(x.name),
    Char: lambda x: _char_literal(x.c),
    Keyword: lambda x: ":" + x.name,
}
_SIMPLE_WRITE = {**_SIMPLE_SHARED, MString: lambda x: _string_literal(x.s)}
_SIMPLE_DISPLAY = {
    **_SIMPLE_SHARED,
    Symbol: lambda x: x.name,
    Char: lambda x: x.c,
    MString: lambda x: x.s,
}
