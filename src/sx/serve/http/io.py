"""Answering a computation's `perform` requests (host.sx makes them).

    (db-query "sql" (arg ...))  (db-exec "sql" (arg ...))
    (db-begin) (db-commit) (db-rollback)
    (sleep seconds)             (read-file "path")
    (use-guest "name")

`answer(request, owner)` is a coroutine: the event loop serves other
requests while it waits (SQLite on aiosqlite's thread, a file read on the
default executor's, a sleep on the loop's timer). What a request cannot do
is a `PerformError`, whose message the host raises as an SX error at the
perform ("db-query: no such table: x"), where the program can catch it.
`owner` is the computation asking (an HTTP request, or the app's loading):
the database's transactions belong to one.
"""

from __future__ import annotations

import asyncio
import math

from ...printer import write_string
from ...values import MString, Pair, Symbol, NIL
from ...guests import all_guests, find as find_guest
from .db import Database, DbError, sql_args

MAX_SLEEP = 24 * 3600.0


class PerformError(Exception):
    """The request failed: the message to raise at the perform."""


def _parts(request) -> tuple[str, list]:
    """The request's name and its arguments; PerformError if it is none."""
    if request.__class__ is Pair and request.car.__class__ is Symbol:
        args = []
        rest = request.cdr
        while rest.__class__ is Pair:
            args.append(rest.car)
            rest = rest.cdr
        if rest is NIL:
            return request.car.name, args
    raise PerformError(f"perform: the HTTP host does not handle the request "
                       f"{write_string(request)[:200]}")


def _check(name: str, args: list, n: int) -> None:
    if len(args) != n:
        raise PerformError(f"perform: ({name} ...) takes {n} argument{'s' * (n != 1)}, got "
                           f"{len(args)}")


class Answerer:
    """The host's side of perform: the database and the other IO."""

    def __init__(self, db: Database, runtime=None) -> None:
        self.db = db
        self.runtime = runtime      # where use-guest loads a guest's API
        self.guests: set = set()    # the guests whose API it has loaded

    async def answer(self, request, owner):
        name, args = _parts(request)
        handler = self.HANDLERS.get(name)
        if handler is None:
            raise PerformError(f"perform: the HTTP host does not handle the request "
                               f"{write_string(request)[:200]}")
        try:
            return await handler(self, name, args, owner)
        except DbError as e:
            raise PerformError(str(e)) from None

    async def _db(self, name, args, owner):
        _check(name, args, 2)
        sql, params = args
        if sql.__class__ is not MString:
            raise PerformError(f"{name}: the SQL must be a string, got {write_string(sql)[:200]}")
        params = sql_args(name, params)
        run = self.db.query if name == "db-query" else self.db.execute
        return await run(owner, sql.s, params)

    async def _begin(self, name, args, owner):
        _check(name, args, 0)
        await self.db.begin(owner)

    async def _commit(self, name, args, owner):
        _check(name, args, 0)
        await self.db.commit(owner)

    async def _rollback(self, name, args, owner):
        _check(name, args, 0)
        await self.db.rollback(owner)

    async def _sleep(self, name, args, owner):
        _check(name, args, 1)
        (s,) = args
        if type(s) not in (int, float) or not (0 <= s <= MAX_SLEEP) or math.isnan(s):
            raise PerformError(f"sleep: expected a number of seconds from 0 to {MAX_SLEEP:g}, "
                               f"got {write_string(s)[:200]}")
        await asyncio.sleep(s)

    async def _read_file(self, name, args, owner):
        _check(name, args, 1)
        (path,) = args
        if path.__class__ is not MString:
            raise PerformError(f"read-file: expected a path string, got {write_string(path)[:200]}")
        try:
            text = await asyncio.get_running_loop().run_in_executor(None, _read_text, path.s)
        except FileNotFoundError:
            raise PerformError(f"read-file: no such file: {path.s}") from None
        except UnicodeDecodeError:
            raise PerformError(f"read-file: not UTF-8 text: {path.s}") from None
        except OSError as e:
            raise PerformError(f"read-file: cannot read {path.s}: {e.strerror or e}") from None
        return MString(text)

    async def _use_guest(self, name, args, owner):
        """Load a guest's API into the runtime, once. It compiles the
        guest, holding the event loop: what an app does as it starts."""
        _check(name, args, 1)
        (which,) = args
        if which.__class__ is not MString:
            raise PerformError(f"use-guest: expected a guest's name (a string), got "
                               f"{write_string(which)[:200]}")
        guest = find_guest(which.s)
        if guest is None or guest.load_api is None:
            known = ", ".join(g.name for g in all_guests() if g.load_api is not None)
            raise PerformError(f"use-guest: no guest {which.s!r} with an API (there is: {known})")
        if guest.name not in self.guests:
            guest.load_api(self.runtime)
            self.guests.add(guest.name)

    HANDLERS = {"use-guest": _use_guest, "db-query": _db, "db-exec": _db, "db-begin": _begin, "db-commit": _commit,
                "db-rollback": _rollback, "sleep": _sleep, "read-file": _read_file}


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()
