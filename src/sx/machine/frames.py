"""Continuation frames: the protocol every tier shares, and the frames of
the machine itself.

A continuation is an immutable chain of frames, each holding `next`. When a
value reaches a frame, the machine calls `frame.resume(m, v)`, which gives
the machine's next state (c, e, k, v): code to enter (c, with its
environment e) or a value v to return to the frame k. The CEK's frames, the
VM's and those below share this protocol, so one chain mixes frames of every
tier (invariant 2). Frames are never mutated once pushed, so a continuation
that is re-entered sees exactly the state it captured.

The frames here apply a procedure when a value reaches them; `site` is the
call that made them, where an error in that application is located.

Every frame knows its `depth`: how many interpreter frames the chain up to
it stands for (a frame of the CEK or of the machine counts 1, a VM
activation the interpreter frames it stands for). It is what the one
recursion limit of every tier is checked against (machine/errors.py), so the
same program runs out of depth at the same point in every tier.
"""

from __future__ import annotations

from ..errors import ErrorObject, SchemeError, SxExit
from ..values import MultipleValues


class Frame:
    __slots__ = ("next", "depth")
    node = None  # the IR node it belongs to, for backtraces

    def resume(self, m, v):
        """Return v to this frame: the machine's next state."""
        raise TypeError(f"frame {self.__class__.__name__} cannot be resumed")

    def pending(self) -> tuple:
        """The IR nodes whose interpreter frames this frame stands for,
        innermost first (what backtraces name)."""
        node = self.node
        return () if node is None else (node,)


def new_frame(cls, nxt, **fields):
    """A frame of class cls on top of nxt (for the less frequent frames)."""
    f = cls.__new__(cls)
    f.next = nxt
    f.depth = 1 if nxt is None else nxt.depth + 1
    for name, value in fields.items():
        setattr(f, name, value)
    return f


class HaltK(Frame):
    """The bottom of a machine run: a value reaching it is the run's result."""
    __slots__ = ()


class NestK(Frame):
    """The bottom of a nested run (generated code calling something without
    generated code): a value reaching it returns from the run while `next` is
    None; once the run was unwound into a heap chain, it links to the rest.
    Its depth is that of the generated frames below it (they pass it on)."""
    __slots__ = ()

    def resume(self, m, v):
        return None, None, self.next, v


class ExitK(Frame):
    """Target of `exit` once every dynamic-wind after thunk has run."""
    __slots__ = ("code",)

    def resume(self, m, v):
        raise SxExit(self.code)


class ReturnK(Frame):
    """Ignore the incoming value and return `value` (after an after-thunk)."""
    __slots__ = ("value",)

    def resume(self, m, v):
        return None, None, self.next, self.value


class HandlersK(Frame):
    """Reinstate `handlers` when a value passes (leaving a handler's extent)."""
    __slots__ = ("handlers",)

    def resume(self, m, v):
        m.handlers = self.handlers
        return None, None, self.next, v


class RaiseK(Frame):
    """A handler returned from a non-continuable raise: that is an error,
    located at the raise (`node`)."""
    __slots__ = ("payload", "node")

    def resume(self, m, v):
        m.cur = self.node
        raise SchemeError(ErrorObject(
            "exception handler returned from a non-continuable raise of", [self.payload]))


class CallWithValuesK(Frame):
    __slots__ = ("consumer", "site")

    def resume(self, m, v):
        args = v.vals if v.__class__ is MultipleValues else [v]
        m.cur = self.site
        return m.apply(self.consumer, list(args), self.next)


class WindEntry:
    """One active dynamic-wind: its thunks and the entries outside it."""

    __slots__ = ("before", "after", "parent", "depth")

    def __init__(self, before, after, parent) -> None:
        self.before = before
        self.after = after
        self.parent = parent
        self.depth = 0 if parent is None else parent.depth + 1


class WindBeforeK(Frame):
    """The before thunk of a dynamic-wind returned: enter its extent."""
    __slots__ = ("entry", "thunk", "site")

    def resume(self, m, v):
        m.winders = self.entry
        m.cur = self.site
        return m.apply(self.thunk, [], new_frame(WindBodyK, self.next, entry=self.entry,
                                                  site=self.site))


class WindBodyK(Frame):
    """The thunk of a dynamic-wind returned: leave its extent, run the after
    thunk, then return the thunk's value."""
    __slots__ = ("entry", "site")

    def resume(self, m, v):
        m.winders = self.entry.parent
        m.cur = self.site
        return m.apply(self.entry.after, [], new_frame(ReturnK, self.next, value=v))


class JumpK(Frame):
    """Running the winders of a continuation jump, one thunk at a time."""
    __slots__ = ("steps", "i", "target", "value", "site")

    def resume(self, m, v):
        return m.jump_step(self.steps, self.i, self.target, self.value, self.site)


def frame_at(e: list, depth: int) -> list:
    """The environment frame `depth` levels out from e (a lexical address's
    first half). Environments are laid out the same in every tier:
    [parent, value1, value2, ...]."""
    while depth:
        e = e[0]
        depth -= 1
    return e
