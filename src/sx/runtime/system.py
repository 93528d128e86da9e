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


def host_text(s: str) -> str:
    """A command-line argument or an environment variable as SX text. Python
    decodes their bytes with surrogateescape; a byte that is not UTF-8 would
    become a lone surrogate, which no SX character can be: it becomes U+FFFD
    (these are names and settings, seldom data, and a program should not
    fail on reading them)."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@primitive("command-line")
def command_line():
    return py_to_list([MString(host_text(a)) for a in ARGV])


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
    return False if value is None else MString(host_text(value))


@primitive("get-environment-variables")
def get_environment_variables():
    return py_to_list([Pair(MString(host_text(k)), MString(host_text(v)))
                       for k, v in os.environ.items()])


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
    absent or #t is success, an integer from 0 to 255 itself, and #f or
    anything else (an integer out of that range included) failure, 1.
    A POSIX status is one byte: passing 256 on would truncate it to 0, a
    failure reported as success. Shared with the evaluator's `exit`."""
    if obj is DEFAULT or obj is True:
        return 0
    if type(obj) is int and 0 <= obj <= 255:
        return obj
    return 1


@primitive("emergency-exit")
def emergency_exit(obj=DEFAULT):
    raise SxExit(exit_code(obj), emergency=True)
