"""Cycles in source: R7RS 2.4 lets datum labels make circular literals, and
makes it an error for a program to contain a circular reference anywhere
else. Code with a cycle would make the expander loop, so cycles are found
before expansion and reported as "cyclic structure in source".

Which part of a form is a literal is only known while expanding (a macro
may quote its argument), so the check is in two steps:

- `on_cycle(form)`, once per top-level form, is one linear walk that says
  "no cycle" for nearly every form; only when there is one does it collect
  the pairs and vectors that lie on a cycle;
- the expander then refuses to expand any of those as code (`refuse`), and
  every walk along a list's cdrs (`spine`) stops at a cycle, so quoted
  cycles pass through untouched.
"""

from __future__ import annotations

from ..errors import SxSyntaxError
from ..values import NIL, Pair, intern
from .syntax import Identifier, root as root_name

QUOTE = intern("quote")

CYCLIC = "cyclic structure in source"


def cyclic_error(loc) -> SxSyntaxError:
    return SxSyntaxError(CYCLIC, (), loc)


def refuse(x, cyclic, loc) -> None:
    """Raise the cycle error if x lies on one of the cycles in `cyclic`."""
    if cyclic is not None and id(x) in cyclic:
        raise cyclic_error(loc)


# A list longer than this is checked for a cycle along its cdrs.
LONG = 1 << 12


def spine(lst, loc) -> tuple[list, object]:
    """(elements, tail) of a possibly improper list; a list whose cdrs come
    back to themselves is the cycle error. Lists of code are short: the
    walk is a plain one, unrolled so that counting costs one addition per
    four pairs, until it is long enough to be worth checking."""
    out = []
    n = 0
    while lst.__class__ is Pair:
        out.append(lst.car)
        lst = lst.cdr
        if lst.__class__ is not Pair:
            break
        out.append(lst.car)
        lst = lst.cdr
        if lst.__class__ is not Pair:
            break
        out.append(lst.car)
        lst = lst.cdr
        if lst.__class__ is not Pair:
            break
        out.append(lst.car)
        lst = lst.cdr
        n += 4
        if n > LONG:
            return _long_spine(out, lst, loc)
    return out, lst


def proper(lst, what: str, loc, message: str = "{}: not a proper list") -> list:
    """The elements of a proper list; otherwise the error `message`."""
    out, lst = spine(lst, loc)
    if lst is not NIL:
        raise SxSyntaxError(message.format(what), (), loc)
    return out


def _long_spine(out: list, lst, loc) -> tuple[list, object]:
    """The rest of a long walk, with Brent's check: each pair is compared
    with one saved at distances that double, so a cycle is found within
    twice its length and the walk stays linear."""
    mark, steps, power = lst, 0, len(out)
    while lst.__class__ is Pair:
        out.append(lst.car)
        lst = lst.cdr
        if lst is mark:
            raise cyclic_error(loc)
        steps += 1
        if steps == power:
            mark, steps, power = lst, 0, power << 1
    return out, lst


def on_cycle(root, code: bool = False) -> dict | None:
    """None when no cycle can be reached from root through pairs and
    vectors (shared, acyclic structure is fine); otherwise {id: object} of
    the pairs and vectors that lie on a cycle (the objects are kept so that
    their ids stay theirs while the table is in use).

    code: look for cycles in root as code only, not inside `(quote X)`
    forms. Code that an SX program makes and evals (SOM's compiled methods)
    quotes live data, cyclic as object graphs are (a class and its
    metaclass); walking it all, for every method, was a tenth of SOM's
    compilation. Should `quote` name something else there, a cycle in X
    is still refused: expanding it runs out of stack or meets it in a
    list's spine, and the expander reports it (too_deep, spine)."""
    if (root.__class__ is Pair or root.__class__ is list) and _has_cycle(root, code):
        return _cycle_members(root)
    return None


def _quoted(x) -> bool:
    """x is a pair `(quote ...)`, by its head's name."""
    head = x.car
    return head is QUOTE or (head.__class__ is Identifier and root_name(head) is QUOTE)


# A walk that treats the datum as a tree goes this far before `_has_cycle`
# does the exact, slower search (a cycle makes that walk go round forever).
TREE_WALK = 1 << 16


def _has_cycle(root, code: bool = False) -> bool:
    """Whether a cycle can be reached from root (code: not counting quoted
    data). Nearly all code is a tree of modest size: walking it as one, to
    its end, proves it finite."""
    budget = TREE_WALK
    stack = [root]
    pop = stack.pop
    push = stack.append
    while stack:
        x = pop()
        while x.__class__ is Pair:
            budget -= 1
            if budget < 0:
                return _has_cycle_exact(root, code)
            a = x.car
            if (a.__class__ is Pair and not (code and _quoted(a))) or a.__class__ is list:
                push(a)
            x = x.cdr
        if x.__class__ is list:
            budget -= len(x) + 1
            if budget < 0:
                return _has_cycle_exact(root, code)
            for e in x:
                if e.__class__ is Pair or e.__class__ is list:
                    push(e)
    return False


def _has_cycle_exact(root, code: bool = False) -> bool:
    """Depth-first: a back edge to a node still being explored is a cycle.
    The stack holds nodes to visit and, as ints, the ids of nodes whose
    exploration ends there (only pairs and vectors are ever pushed)."""
    state: dict = {}       # id -> True while being explored, False when done
    stack = [root]
    pop = stack.pop
    push = stack.append
    while stack:
        x = pop()
        if x.__class__ is int:
            state[x] = False
            continue
        i = id(x)
        s = state.get(i)
        if s is not None:
            if s:
                return True
            continue
        state[i] = True
        push(i)
        if x.__class__ is Pair:
            d = x.cdr
            if d.__class__ is Pair or d.__class__ is list:
                push(d)
            a = x.car
            if (a.__class__ is Pair and not (code and _quoted(a))) or a.__class__ is list:
                push(a)
        else:
            for e in x:
                if e.__class__ is Pair or e.__class__ is list:
                    push(e)
    return False


def _children(x) -> list:
    if x.__class__ is Pair:
        return [c for c in (x.car, x.cdr) if c.__class__ is Pair or c.__class__ is list]
    return [c for c in x if c.__class__ is Pair or c.__class__ is list]


def _cycle_members(root) -> dict:
    """Tarjan's strongly connected components, iteratively: a node is on a
    cycle when its component has two nodes or more, or it is its own child."""
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    comp: list = []
    out: dict = {}
    index[id(root)] = low[id(root)] = 0
    comp.append(root)
    on_stack.add(id(root))
    work = [(root, iter(_children(root)))]
    while work:
        x, children = work[-1]
        pushed = False
        for c in children:
            j = id(c)
            if j not in index:
                index[j] = low[j] = len(index)
                comp.append(c)
                on_stack.add(j)
                work.append((c, iter(_children(c))))
                pushed = True
                break
            if j in on_stack:
                low[id(x)] = min(low[id(x)], index[j])
        if pushed:
            continue
        work.pop()
        i = id(x)
        if work:
            parent = id(work[-1][0])
            low[parent] = min(low[parent], low[i])
        if low[i] == index[i]:
            members = []
            while True:
                y = comp.pop()
                on_stack.discard(id(y))
                members.append(y)
                if y is x:
                    break
            if len(members) > 1 or any(c is x for c in _children(x)):
                for y in members:
                    out[id(y)] = y
    return out
