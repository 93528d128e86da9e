"""Argument checks shared by the sequence primitives (lists, strings,
vectors, bytevectors): indexes, counts and optional start/end ranges.

Each raises the standard SX error naming the primitive `who`, so the same
mistake reads the same in every one of them. Exact integers only:
`type(k) is int`, so #t is not an index.
"""

from __future__ import annotations

import sys

from ..errors import bad_range, wrong_type
from ..values import DEFAULT


def check_index(who: str, k, n: int) -> int:
    """k must be an exact integer with 0 <= k < n (bool is not an integer)."""
    if type(k) is not int:
        wrong_type(who, "an exact integer index", k)
    if k < 0 or k >= n:
        bad_range(who, k)
    return k


def check_count(who: str, k) -> int:
    """k must be an exact nonnegative integer (a length or a count)."""
    if type(k) is not int:
        wrong_type(who, "an exact nonnegative integer", k)
    if k < 0:
        bad_range(who, k, "negative count")
    if k > sys.maxsize:     # no Python sequence can be that long
        bad_range(who, k, "count too large")
    return k


def check_range(who: str, n: int, start, end) -> tuple[int, int]:
    """Optional start/end arguments (DEFAULT when omitted) of a sequence of
    length n: 0 <= start <= end <= n."""
    s = 0 if start is DEFAULT else start
    e = n if end is DEFAULT else end
    if type(s) is not int:
        wrong_type(who, "an exact integer start index", s)
    if type(e) is not int:
        wrong_type(who, "an exact integer end index", e)
    if s < 0 or s > n:
        bad_range(who, s, "start index out of range")
    if e < s or e > n:
        bad_range(who, e, "end index out of range")
    return s, e


def check_destination(who: str, at, count: int, n: int) -> int:
    """The `at` argument of the *-copy! procedures: `count` items written
    from index `at` must fit in a destination of length n."""
    if type(at) is not int:
        wrong_type(who, "an exact integer index", at)
    if at < 0 or at + count > n:
        bad_range(who, at, "destination index out of range")
    return at
