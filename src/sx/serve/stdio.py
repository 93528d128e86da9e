"""`sx serve --stdio`: one session, requests on stdin, replies on stdout.

The replies get standard output to themselves: the server keeps its own
descriptor of it, and points descriptor 1 at stderr, so nothing else that
writes there (a C library, a stray print) can break a reply line. During a
request sys.stdout is the session's Output, which sends what the program
prints as `out` lines.

The end of input ends the server, with status 0; `(exit n)` with status n.
"""

from __future__ import annotations

import os
import sys

from ..report import say
from . import protocol
from .interrupt import critical
from .session import EndSession, Session


class Replies:
    """Standard output, for reply lines only."""

    def __init__(self) -> None:
        fd = sys.stdout.fileno()
        self.stream = os.fdopen(os.dup(fd), "wb")
        try:
            os.dup2(sys.stderr.fileno(), fd)
        except (OSError, ValueError, AttributeError):
            pass    # no stderr to send stray output to: it stays where it was

    @critical       # a line is written whole, or the protocol breaks
    def send(self, line: str) -> None:
        self.stream.write(protocol.wire(line))
        self.stream.flush()


def serve(runtime, interrupts, debug: bool) -> int:
    """Serve until the end of input; the exit status."""
    requests = getattr(sys.stdin, "buffer", None)
    if requests is None or sys.stdout is None:
        say("sx serve: --stdio needs standard input and output open")
        return 1
    try:
        session = Session(runtime, interrupts, Replies().send, debug)
        while True:
            line = protocol.read_line(requests)
            if line is None:
                return 0
            session.handle(line)
    except EndSession as end:
        return end.status
    except OSError as e:    # standard input or output gone: no one to answer
        say(f"sx serve: cannot serve on standard input and output: {e}")
        return 1
