"""`sx repl`: read, evaluate, print, and never die on bad input.

On a terminal it uses prompt_toolkit (line editing, history saved in
~/.sx_history, bracket-aware multi-line input). Otherwise (a pipe, a test)
it reads plain lines, so it can be driven by another program. Either way an
entry is read until its datums are complete, so a definition may span lines.

What it does with hostile input:
- an error (syntax, run time, a `perform` with no host to answer it) is
  reported as `sx eval` reports it, and the session goes on;
- a line that is not UTF-8 is an error naming where; the entry it belongs
  to is dropped;
- Ctrl-C, while reading or evaluating, drops the entry and returns to the
  prompt; end of input ends the session with status 0, `(exit n)` with n;
- a value is printed on a line of its own, even after output that did not
  end with a newline.
"""

from __future__ import annotations

import os
import sys

from .api import _no_host as refuse_requests   # a perform is refused as `sx eval` refuses it
from .errors import SxExit
from .reader import IncompleteInput, read_all
from .report import flush_stdout, print_value, prints_nothing, report, run_command, say
from .runtime import ports
from .runtime.textio import STDIN_LINES, check_text

PROMPT, MORE = "sx> ", "... "
STDIN = "<stdin>"


def is_complete(text: str) -> bool:
    """Whether `text` holds only whole datums (an error also counts as
    complete: it is reported when the entry is evaluated)."""
    try:
        read_all(text, "<repl>")
    except IncompleteInput:
        return not text.strip()
    except Exception:  # noqa: BLE001 - any other failure is reported when it is evaluated
        return True
    return True


def fresh_line() -> None:
    """Start a new line on stdout unless the program's output left the
    cursor at the start of one."""
    if not ports.STDOUT.at_line_start and sys.stdout is not None:
        sys.stdout.write("\n")
        ports.STDOUT.at_line_start = True


def _line_reader(interactive: bool):
    """A function prompt -> line (None at end of input). It raises
    KeyboardInterrupt on Ctrl-C and an SX file error on a line that is not
    UTF-8."""
    if interactive and sys.stdout.isatty():
        try:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.history import FileHistory
            session = PromptSession(history=FileHistory(os.path.expanduser("~/.sx_history")))

            def read(prompt):
                fresh_line()
                try:
                    line = session.prompt(prompt)
                except EOFError:
                    return None
                ports.STDOUT.at_line_start = True    # the Enter typed ends the line
                return check_text(line, "", STDIN)
            return read
        except Exception:  # noqa: BLE001 - no usable terminal after all: plain input
            pass

    def read_plain(prompt):
        if interactive:
            fresh_line()
            sys.stdout.write(prompt)
            sys.stdout.flush()
        try:
            line = STDIN_LINES.readline("")
        except (OSError, ValueError) as e:   # stdin gone (a hung-up terminal, closed)
            say(f"sx repl: cannot read standard input: {e}")
            return None
        if line == "":
            return None
        if interactive:
            ports.STDOUT.at_line_start = True    # the terminal echoed the Enter typed
        return line[:-1] if line.endswith("\n") else line
    return read_plain


class Session:
    def __init__(self, rt, debug: bool) -> None:
        self.rt = rt
        self.debug = debug
        self.interactive = sys.stdin.isatty()
        self.read_line = _line_reader(self.interactive)
        self.entries = 0

    def read_entry(self):
        """The text of the next entry, None at end of input."""
        lines: list[str] = []
        while True:
            line = self.read_line(MORE if lines else PROMPT)
            if line is None:
                return "\n".join(lines) if lines else None
            lines.append(line)
            text = "\n".join(lines)
            if is_complete(text):
                return text

    def evaluate(self, text: str) -> None:
        """Each datum of the entry in turn, printing its value."""
        self.entries += 1
        name = f"<repl-{self.entries}>"
        forms, srcmap = read_all(text, name)
        for form in forms:
            value = refuse_requests(self.rt.run_forms([form], srcmap, name))
            if not prints_nothing(value):
                fresh_line()
                print_value(value)
                ports.STDOUT.at_line_start = True

    def report(self, err: BaseException, debug: bool) -> None:
        if self.interactive:
            fresh_line()
        report(err, debug)

    def step(self):
        """Read and evaluate one entry: None to go on, else the exit status."""
        asked: list[int] = []

        def entry() -> int:
            text = self.read_entry()
            if text is None:
                asked.append(0)
            elif text.strip():
                try:
                    self.evaluate(text)
                except SxExit as e:
                    asked.append(e.code)
            return 0
        run_command(entry, self.debug, self.report)
        flush_stdout()
        return asked[0] if asked else None


def repl(rt, debug: bool = False) -> int:
    session = Session(rt, debug)
    while True:
        try:
            status = session.step()
        except KeyboardInterrupt:    # between the parts that step guards: go on
            say("\ninterrupted")
            continue
        if status is not None:
            return status

