"""Leaving the machine: suspension to the host, and unwinding the Python
stack of a tier that runs on it.

A tier whose code runs on the Python stack (tier 2's generated functions)
calls back into the machine for what it cannot do itself: a *nested* run
(`Machine.run_nested`), whose chain ends in a `NestK`. A capture (call/cc,
perform), a continuation jump or an error inside a nested run cannot be
carried out there, since part of the continuation is Python frames: it
raises `Unwind` instead. Each catcher on the way out adds the frames it
owns to `segs` (the tier rebuilds its Python frames as heap frames, from
their safepoints); the outermost one links the whole chain (`link`) and
carries the request out on the heap chain, where every tier can.
"""

from __future__ import annotations

from .errors import out_of_memory, too_deep
from .frames import NestK


class Suspension(Exception):
    """Raised out of the machine by `perform`: the request for the host, and
    the continuation to resume (`site`: the perform call, for errors)."""

    def __init__(self, request, k, site) -> None:
        super().__init__("perform")
        self.request = request
        self.k = k
        self.site = site


class Unwind(Exception):
    """Unwinding the Python stack to the outermost machine run.

    kind: 'error' (payload a SchemeError), 'callcc' (the receiver), 'perform'
    (the request), 'escape' ((continuation, value)), 'deopt' (the value to
    resume with), 'call' ((procedure, arguments): a call to make again once
    the frames are built, see backtrace.continuation_backtrace). segs: the
    frames collected so far, innermost first: heap
    frames and (chain, NestK) pairs. An error that is an Unwind already has
    its location (`m.cur`) set; a raw SchemeError gets it from the innermost
    frame that is rebuilt."""

    def __init__(self, kind, payload, segs, site=None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.payload = payload
        self.segs = segs
        self.site = site
        # it passed a continuation whose frames are not built yet (tier 2's
        # call/cc): only the outermost catcher, building them, may finish it
        self.full = False


class Mark:
    """A point among the collected segments where a continuation made
    without its frames (tier 2's escape-only call/cc) gets them: link sets
    `cont.k` to the chain outside the point."""

    __slots__ = ("cont",)

    def __init__(self, cont) -> None:
        self.cont = cont


def as_unwind(ex) -> Unwind:
    """An exception that left Python frames of a tier, as an Unwind."""
    if ex.__class__ is Unwind:
        return ex
    if isinstance(ex, RecursionError):
        ex = too_deep()
    elif isinstance(ex, MemoryError):
        ex = out_of_memory()
    return Unwind("error", ex, [])


def link(segs: list, k):
    """Chain the collected segments (innermost first) onto k. A rebuilt
    frame's depth follows from k's; a nested run's chain has its depths
    already (its boundary's depth was passed down exactly)."""
    for seg in reversed(segs):
        if seg.__class__ is tuple:
            chain, boundary = seg
            boundary.next = k
            k = chain
        elif seg.__class__ is Mark:
            seg.cont.k = k
        else:
            seg.next = k
            seg.depth = k.depth + len(seg.pending())
            k = seg
    return k


__all__ = ["Mark", "NestK", "Suspension", "Unwind", "as_unwind", "link"]
