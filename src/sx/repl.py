"""`sx repl`: read, evaluate, print, and never die on bad input.

On a terminal it uses prompt_toolkit (line editing, history saved in
~/.sx_history, bracket-aware multi-line input). Otherwise (a pipe, a test)
it reads plain lines, so it can be driven by another program. Either way an
entry is read until its datums are complete, so a definition may span lines.
"""

from __future__ import annotations

import os
import sys

from .errors import SchemeError, SxExit
from .reader import IncompleteInput, read_all
from .report import print_value, report

PROMPT, MORE = "sx> ", "... "


def is_complete(text: str) -> bool:
    """Whether `text` holds only whole datums (an error also counts as
    complete: it is reported when the entry is evaluated)."""
    try:
        read_all(text, "<repl>")
    except IncompleteInput:
        return True if not text.strip() else False
    except SchemeError:
        return True
    return True


def _line_reader():
    """A function prompt -> line (None at end of input)."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        try:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.history import FileHistory
            session = PromptSession(history=FileHistory(os.path.expanduser("~/.sx_history")))

            def read(prompt):
                try:
                    return session.prompt(prompt)
                except EOFError:
                    return None
            return read
        except Exception:  # no usable terminal after all: fall back to plain input
            pass

    def read_plain(prompt):
        if sys.stdin.isatty():
            sys.stdout.write(prompt)
            sys.stdout.flush()
        line = sys.stdin.readline()
        return None if line == "" else line.rstrip("\n")
    return read_plain


def repl(rt, debug: bool = False) -> int:
    read_line = _line_reader()
    n = 0
    while True:
        lines = []
        while True:
            try:
                line = read_line(MORE if lines else PROMPT)
            except KeyboardInterrupt:
                lines = []
                print("(interrupted)")
                continue
            if line is None:
                if lines:
                    break
                return 0
            lines.append(line)
            if is_complete("\n".join(lines)):
                break
        text = "\n".join(lines)
        if not text.strip():
            continue
        n += 1
        try:
            forms, srcmap = read_all(text, f"<repl-{n}>")
            for datum, loc in forms:
                value = rt.run_forms([(datum, loc)], srcmap, f"<repl-{n}>")
                print_value(value)
        except SxExit as e:
            return e.code
        except KeyboardInterrupt:
            print("(interrupted)")
        except Exception as e:  # every error is reported; the session goes on
            report(e, debug)
        sys.stdout.flush()
