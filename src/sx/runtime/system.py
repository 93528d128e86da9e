"""System interface of R7RS 6.14 (except `exit`, which must run the
dynamic-wind `after` thunks and so belongs to the evaluator)."""

from __future__ import annotations

import os
import time

from ..errors import SxExit, wrong_type
from ..values import DEFAULT, MString, Pair, intern, py_to_list
from .registry import primitive

# The program name and its arguments; the CLI replaces the contents.
ARGV: list[str] = ["sx"]

JIFFIES_PER_SECOND = 1_000_000_000   # current-jiffy counts nanoseconds


@primitive("command-line")
def command_line():
    return py_to_list([MString(a) for a in ARGV])


@primitive("current-second")
def current_second():
    return time.time()


@primitive("current-jiffy")
def current_jiffy():
    return time.perf_counter_ns()


@primitive("jiffies-per-second")
def jiffies_per_second():
    return JIFFIES_PER_SECOND


@primitive("get-environment-variable")
def get_environment_variable(name):
    if type(name) is not MString:
        wrong_type("get-environment-variable", "a string", name)
    value = os.environ.get(name.s)
    return False if value is None else MString(value)


@primitive("get-environment-variables")
def get_environment_variables():
    return py_to_list([Pair(MString(k), MString(v)) for k, v in os.environ.items()])


# Also what cond-expand tests against.
FEATURE_NAMES = ["r7rs", "exact-closed", "ratios", "full-unicode", "ieee-float", "sx", "sx-0.1"] + (
    ["posix"] if os.name == "posix" else [])


def _features() -> list:
    return [intern(n) for n in FEATURE_NAMES]


@primitive("features")
def features():
    return py_to_list(_features())


def exit_code(obj) -> int:
    """The process status for the argument of exit / emergency-exit:
    absent or #t is success, #f failure, an integer itself, anything else 1.
    Shared with the evaluator's `exit`."""
    if obj is DEFAULT or obj is True:
        return 0
    if type(obj) is int:
        return obj
    return 1


@primitive("emergency-exit")
def emergency_exit(obj=DEFAULT):
    raise SxExit(exit_code(obj), emergency=True)
