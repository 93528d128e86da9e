"""Other Schemes, run side by side with SX on the same benchmark programs.

A peer runs a program as a script in a subprocess: the peer's prelude
(bench/peers/, the R7RS names that implementation lacks) followed by the
program's text with its `(import ...)` declaration dropped and its
`(include "driver.scm")` replaced by the driver's text, so that the peer
sees one self-contained file whatever its library and include support. The
driver times each call of (run SIZE) inside the peer's process and prints
"run K: MS ms", which is what is read back; startup and compilation are not
timed. A peer that is not installed is skipped with a note.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

# Longest a peer process may take for one round (a warm-up and a timed call).
PEER_TIMEOUT = 600


class PeerFailure(Exception):
    """A peer could not run a program, or the program failed under it."""


@dataclass(frozen=True)
class Peer:
    name: str
    title: str                     # what the implementation is called
    commands: tuple[str, ...]      # executables to look for, in order
    prelude: str                   # file in bench/peers/
    suffix: str                    # what the generated script is called
    script_flag: tuple[str, ...]   # arguments before the script's path

    def executable(self) -> str | None:
        return first_on_path(self.commands)


def first_on_path(commands) -> str | None:
    """The path of the first of the commands found on PATH, or None (a
    guest's peers are found the same way: guests/prolog/bench/peers.py)."""
    for command in commands:
        found = shutil.which(command)
        if found:
            return found
    return None


PEERS = {
    "chez": Peer("chez", "Chez Scheme", ("chezscheme", "scheme", "chez"), "chez.ss", ".ss",
                 ("--script",)),
    "guile": Peer("guile", "Guile", ("guile-3.0", "guile"), "guile.scm", ".scm", ()),
    "racket": Peer("racket", "Racket", ("racket",), "racket.rkt", ".rkt", ()),
}

INSTALL_HINT = ("install them with `make bench-peers` "
                "(Debian packages chezscheme, guile-3.0 and racket)")


# ---- the script a peer runs ---------------------------------------------------------

_IMPORT = re.compile(r"^\(import\b", re.MULTILINE)
_INCLUDE = re.compile(r'^\(include "([^"]+)"\)[ \t]*$', re.MULTILINE)


def _form_end(text: str, start: int) -> int:
    """The index just past the parenthesised form that opens at text[start],
    skipping strings, character literals and comments."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == ";":
            i = text.find("\n", i)
            if i < 0:
                break
        elif c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "#" and text.startswith("#\\", i):
            i += 2
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise PeerFailure("unbalanced parentheses in the import declaration")


def program_body(path: str) -> str:
    """The program's text without its import declaration, includes inlined."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    m = _IMPORT.search(text)
    if m:
        text = text[:m.start()] + text[_form_end(text, m.start()):]

    def inline(match: re.Match) -> str:
        included = os.path.join(os.path.dirname(path), match.group(1))
        with open(included, encoding="utf-8") as fh:
            return fh.read()
    return _INCLUDE.sub(inline, text)


def write_script(peer: Peer, program: str, peer_dir: str, out_dir: str) -> str:
    """Write the peer's script for program into out_dir; returns its path."""
    with open(os.path.join(peer_dir, peer.prelude), encoding="utf-8") as fh:
        prelude = fh.read()
    name = os.path.splitext(os.path.basename(program))[0]
    path = os.path.join(out_dir, f"{name}-{peer.name}{peer.suffix}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(prelude + "\n" + program_body(program))
    return path


# ---- running it -----------------------------------------------------------------------

_RUN_LINE = re.compile(r"^run (\d+): ([0-9.eE+-]+) ms$")


def run_script(peer: Peer, script: str, scale: str, runs: int) -> list[float]:
    """Run the script once with `runs` calls of (run SIZE), SIZE the
    program's input for scale ("full" or "small"); the seconds each call
    took, as the program's driver measured them."""
    exe = peer.executable()
    if exe is None:
        raise PeerFailure(f"{peer.name} is not installed")
    argv = [exe, *peer.script_flag, script, scale, str(runs)]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=PEER_TIMEOUT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise PeerFailure(f"{peer.name} took more than {PEER_TIMEOUT} s") from None
    times = [float(m.group(2)) / 1000 for m in map(_RUN_LINE.match, done.stdout.splitlines()) if m]
    if done.returncode != 0 or len(times) != runs:
        # the driver says what was wrong on stdout; a crash goes to stderr,
        # where Guile's compiler notes and warnings may come first
        why = [line for line in done.stdout.splitlines() if line.strip()
               and not _RUN_LINE.match(line)] or \
            [line for line in done.stderr.splitlines() if line.strip()
             and not line.startswith((";;;", "WARNING:"))]
        what = why[0].replace(script, os.path.basename(script)) if why else "no output"
        raise PeerFailure(f"{peer.name} failed (exit {done.returncode}): {what}")
    return times


class PeerProgram:
    """A program under a peer, one subprocess per sample: the process makes
    `warmup` untimed calls and one timed call (the driver checks each
    result), so a peer warms up inside every process it starts."""

    kind = "peer"

    def __init__(self, peer: Peer, name: str, path: str, scale: str, peer_dir: str,
                 work_dir: str, warmup: int) -> None:
        self.peer, self.name, self.label = peer, name, peer.name
        self.scale, self.warmup = scale, warmup
        self.script = write_script(peer, path, peer_dir, work_dir)

    def warm_up(self, n: int) -> None:
        """Nothing: every sample's process warms itself up."""

    def sample(self) -> float:
        return run_script(self.peer, self.script, self.scale, self.warmup + 1)[-1]


def version(peer: Peer) -> str | None:
    """`Title x.y.z` from what the peer prints about its version, None if
    it is not installed."""
    exe = peer.executable()
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"\d+(\.\d+)+", done.stdout + done.stderr)
    return f"{peer.title} {m.group(0) if m else '(unknown version)'}"
