"""The SQLite database of an HTTP host: one connection per worker process,
through aiosqlite (SQLite runs on a thread of its own, so a query never
blocks the event loop).

The connection is shared by every request in flight, so a transaction must
not take in another request's statements: `transaction` is an asyncio lock,
held from a request's (db-begin) to its (db-commit) or (db-rollback). Every
statement of a request that does not own the transaction waits for the
lock; the owner's go straight through. A with-transaction inside another
is a SAVEPOINT. Outside a transaction the connection is in autocommit mode
(isolation_level None): a statement's changes stay at once, whatever the
request does afterwards.

A request that ends while it owns the transaction (it returned without
committing, failed, or ran out of time) has it rolled back by the host
(`release`), so the lock is never left held.

Values: arguments are checked and converted here (exact integers,
flonums, strings, bytevectors, #t/#f as 1/0, the symbol null as NULL);
rows come back as SX dicts, column symbol -> value, NULL as 'null.
"""

from __future__ import annotations

import asyncio
import sqlite3

import aiosqlite

from ...printer import write_string
from ...values import NIL, Dict, MString, Pair, intern, py_to_list

NULL = intern("null")
CHANGES, LAST_ID = intern("changes"), intern("last-id")
MEMORY = ":memory:"


class DbError(Exception):
    """An SX error to raise at the perform (message as the user sees it)."""


def sql_args(who: str, args) -> list:
    """The Python values of an SX list of SQL arguments."""
    out = []
    while args.__class__ is Pair:
        out.append(_sql_value(who, args.car))
        args = args.cdr
    if args is not NIL:
        raise DbError(f"{who}: the arguments must be a list, got {write_string(args)}")
    return out


def _sql_value(who: str, x):
    t = type(x)
    if t is bool:
        return int(x)
    if t is int or t is float:
        return x
    if t is MString:
        return x.s
    if t is bytearray:
        return bytes(x)
    if x is NULL:
        return None
    raise DbError(f"{who}: cannot pass {write_string(x)[:200]} to SQL (expected an exact "
                  f"integer, a flonum, a string, a bytevector, a boolean or 'null)")


def _sx_value(v):
    t = type(v)
    if t is str:
        return MString(v)
    if v is None:
        return NULL
    if t is bytes:
        return bytearray(v)
    return v                    # int, float


class Database:
    def __init__(self, path: str = MEMORY) -> None:
        self.path = path
        self.conn: aiosqlite.Connection | None = None
        self.owner = None           # the request holding the transaction
        self.depth = 0              # its with-transactions open (1: BEGIN, more: savepoints)
        self.closed = False
        self._lock: asyncio.Lock | None = None
        self._opening: asyncio.Future | None = None

    @property
    def lock(self) -> asyncio.Lock:
        # made on first use, in the loop that serves (the app may be loaded
        # under another one: load_app outside a running loop)
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    def forget_loop(self) -> None:
        """The app was loaded under an event loop of its own (load_app):
        the lock is made again in the loop that serves."""
        if self._lock is not None and not self._lock.locked():
            self._lock = None

    async def connection(self) -> aiosqlite.Connection:
        """The connection, opened at the first statement (an app that uses
        no database starts no SQLite thread)."""
        if self.conn is None:
            if self.closed:
                raise DbError("the database is closed (the server is stopping)")
            conn = aiosqlite.connect(self.path, isolation_level=None)
            # aiosqlite's thread is not a daemon: an app that is never
            # closed (a test's) would keep the process from exiting.
            thread = getattr(conn, "_thread", None)
            if thread is not None:
                thread.daemon = True
            self.conn = await conn
            self.conn.row_factory = sqlite3.Row
        return self.conn

    async def close(self) -> None:
        self.closed = True         # (an in-memory database opened again would be empty)
        if self.conn is not None:
            conn, self.conn = self.conn, None
            await conn.close()

    # ---- statements --------------------------------------------------------------

    # Each trip to SQLite's thread and back costs some 0.1 ms of handing
    # over; a query makes one (execute_fetchall, rows as sqlite3.Row, which
    # name their columns), a db-exec one too (the cursor's counts are read
    # here, and an unclosed cursor of a finished statement holds nothing).

    async def query(self, owner, sql: str, args: list):
        return await self._statement(owner, "db-query", sql, args, self._rows)

    async def execute(self, owner, sql: str, args: list):
        return await self._statement(owner, "db-exec", sql, args, self._changes)

    async def _statement(self, owner, who, sql, args, run):
        if self.owner is owner:
            return await self._run(who, sql, args, run)
        async with self.lock:
            return await self._run(who, sql, args, run)

    async def _run(self, who, sql, args, run):
        conn = await self.connection()
        try:
            return await run(conn, sql, args)
        except (sqlite3.Error, ValueError, OverflowError) as e:
            raise DbError(f"{who}: {e}") from None

    @staticmethod
    async def _rows(conn, sql, args):
        rows = await conn.execute_fetchall(sql, args)
        out = []
        names = None
        for row in rows:
            if names is None:
                names = [intern(k) for k in row.keys()]
            out.append(Dict({n: (n, _sx_value(v)) for n, v in zip(names, row)}))
        return py_to_list(out)

    @staticmethod
    async def _changes(conn, sql, args):
        cursor = await conn.execute(sql, args)
        # (an SX dict keyed by symbols: equal_key of a symbol is the symbol)
        return Dict({CHANGES: (CHANGES, cursor.rowcount if cursor.rowcount >= 0 else 0),
                     LAST_ID: (LAST_ID, cursor.lastrowid or 0)})

    # ---- transactions ------------------------------------------------------------

    async def begin(self, owner) -> None:
        if self.owner is not owner:
            await self.lock.acquire()
            self.owner, self.depth = owner, 0
        try:
            await self._plain("db-begin", "BEGIN" if self.depth == 0
                              else f"SAVEPOINT sx_{self.depth}")
        except BaseException:
            if self.depth == 0:
                self._unlock()
            raise
        self.depth += 1

    async def commit(self, owner) -> None:
        await self._end(owner, "db-commit", "COMMIT", "RELEASE SAVEPOINT sx_{}")

    async def rollback(self, owner) -> None:
        await self._end(owner, "db-rollback", "ROLLBACK",
                        "ROLLBACK TO SAVEPOINT sx_{0}; RELEASE SAVEPOINT sx_{0}")

    async def _end(self, owner, who, outer, inner) -> None:
        if self.owner is not owner:
            raise DbError(f"{who}: no transaction is open (begin one with with-transaction)")
        self.depth -= 1
        if self.depth:
            for sql in inner.format(self.depth).split("; "):
                await self._plain(who, sql)
            return
        try:
            await self._plain(who, outer)
        finally:
            self._unlock()

    async def release(self, owner) -> bool:
        """Roll back the transaction `owner` left open, if any: whether it did."""
        if self.owner is not owner:
            return False
        self.depth = 0
        try:
            await self._plain("db-rollback", "ROLLBACK")
        except DbError:
            pass                   # (SQLite may have rolled it back itself)
        finally:
            self._unlock()
        return True

    def _unlock(self) -> None:
        self.owner, self.depth = None, 0
        self.lock.release()

    async def _plain(self, who, sql) -> None:
        conn = await self.connection()
        try:
            await conn.execute(sql)
        except sqlite3.Error as e:
            raise DbError(f"{who}: {e}") from None
