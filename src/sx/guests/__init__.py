"""The guest registry: the languages implemented in SX that `sx` runs.

A guest is a Python package, sx.guests.<name>, whose folder is guests/<name>/
of the source checkout (pyproject.toml maps one to the other and ships the
guest's SX sources, libraries, tests and benchmarks as package data). Its
__init__ defines GUEST, a `Guest` saying what the rest of SX needs to know:

- `sx <command>`: its arguments and its launcher's entry point;
- `sx bench`: its benchmark programs, named `<name>:<Benchmark>`;
- the tests: how to run its test suite.

To add a guest: make guests/<name>/ with an __init__.py defining GUEST, add
"sx.guests.<name>" to PACKAGES below, and add the package, its folder and
its data files to pyproject.toml. Neither the CLI nor `sx bench` names a
guest: they go through `all_guests()`.

A guest's __init__ should only declare: its launcher, which loads the SX
implementation, is imported when a command or a benchmark of the guest runs.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

if TYPE_CHECKING:
    import argparse

    from ..api import Runtime

# Running from a source checkout without installing (`PYTHONPATH=src python3
# -m sx som ...`, as the README says and the tests do), the guests are not
# under src/sx/guests but in the checkout's guests/ folder: add it to where
# this package's subpackages are looked for. An installed sx (a wheel, or
# pip install -e, whose import hook maps sx.guests.<name> itself) has its
# guests where they belong and no such folder beside src/.
_HERE = Path(__file__).resolve().parent          # <checkout>/src/sx/guests
_CHECKOUT_GUESTS = _HERE.parent.parent.parent / "guests"
if _HERE.parent.parent.name == "src" and _CHECKOUT_GUESTS.is_dir():
    __path__.append(str(_CHECKOUT_GUESTS))  # noqa: F821 - a package's own __path__

# The known guests, by package. A fixed list rather than a search, so that
# finding the guests imports nothing else, and only when a guest is asked
# for: `sx eval 1` imports none of them.
PACKAGES = ("sx.guests.som", "sx.guests.prolog")


@dataclass(frozen=True)
class Suite:
    """A guest's test suite: `sx <command> ARGS...`, where "{folder}" in an
    argument stands for the path of `folder` in the guest's package. It
    passes when that exits with status 0, and its output must be the same
    under every tier."""
    folder: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Guest:
    """What a guest declares (its package's GUEST)."""
    name: str          # names its benchmarks (`som:Richards`) and `sx bench --guest som`
    command: str       # its `sx` subcommand
    help: str          # one line, for `sx -h`
    package: str       # the package holding it and its files: pass __name__
    # add_arguments(parser): the subcommand's arguments (argparse). The
    # global --tier and --debug are added by the CLI.
    add_arguments: Callable[[argparse.ArgumentParser], None]
    # main(rt, args) -> exit status: runs the command in rt, a Runtime of
    # the chosen tier; args is the parsed namespace (args.debug included).
    # No Python traceback may escape it.
    main: Callable[[Runtime, argparse.Namespace], int]
    # Its benchmarks: name -> inner iterations per timed call (full scale,
    # small scale).
    benchmarks: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # load_benchmark(rt, name) -> step: loads the guest and the benchmark
    # into rt (a fresh Runtime of the tier being measured); step(inner) is
    # one timed call running `inner` iterations, answering True when it
    # verified its result. SX errors propagate (sx bench reports them).
    load_benchmark: Callable[[Runtime, str], Callable[[int], object]] | None = None
    tests: Suite | None = None
    # load_api(rt): gives the SX program in rt the guest's API, SX
    # procedures that call into the guest (a server's app asks for it with
    # `(use-guest "som")`); None when the guest has none.
    load_api: Callable[[Runtime], None] | None = None
    # Its peers for `sx bench`: other implementations of the language that
    # run the same benchmark programs (Prolog: swipl, gprolog). peer_version(
    # name) -> "Title x.y" or None when not installed; load_peer(name,
    # benchmark, inner, work_dir) -> a contestant (label, kind "peer",
    # warm_up(n), sample() -> seconds of `inner` iterations, verified).
    peers: tuple[str, ...] = ()
    peer_version: Callable[[str], str | None] | None = None
    load_peer: Callable[[str, str, int, str], object] | None = None

    def __post_init__(self) -> None:
        if self.benchmarks and self.load_benchmark is None:
            raise ValueError(f"the guest {self.name} has benchmarks but no load_benchmark")

    def home(self) -> Path:
        """The folder of the guest's package, where its files are."""
        root = resources.files(self.package)
        # The SX implementation is read by file name, `include`s relative
        # to it: the package must be a real folder (not in a zip archive;
        # importlib.resources.as_file makes no temporary folders before
        # Python 3.12).
        if not isinstance(root, Path):
            raise RuntimeError(f"the guest {self.name} is not installed as files "
                               f"({self.package} is in {root})")
        return root

    def test_argv(self) -> list[str]:
        """The `sx` arguments that run its test suite."""
        assert self.tests is not None
        folder = os.fspath(self.home() / self.tests.folder)
        return [self.command, *(a.replace("{folder}", folder) for a in self.tests.args)]


_guests: tuple[Guest, ...] | None = None


def all_guests() -> tuple[Guest, ...]:
    """Every registered guest (their packages are imported on the first call)."""
    global _guests
    if _guests is None:
        found = tuple(importlib.import_module(p).GUEST for p in PACKAGES)
        for attr in ("name", "command"):
            values = [getattr(g, attr) for g in found]
            if len(set(values)) != len(values):
                raise RuntimeError(f"two guests have the same {attr}: {values}")
        _guests = found
    return _guests


def find(name: str) -> Guest | None:
    """The guest of that name, or None."""
    return next((g for g in all_guests() if g.name == name), None)
