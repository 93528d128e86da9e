"""The ASGI application: each HTTP request is an SX computation.

One Runtime per worker process holds the app (host.sx, the web library if
present, then the app's file; `app` is a procedure request -> response).
A request:

1. Starlette reads it (the body up to --max-body, else 413); convert.py
   makes the SX request dict (bad JSON, a bad form, a body that is not
   UTF-8: 400, answered by the host).
2. The app is called as a computation (Runtime.start). It runs on the
   event loop's thread until it returns or performs: the machine is not
   re-entrant, so the CPU parts of requests run one at a time, but a
   computation suspended at a perform leaves the loop to the others while
   the host answers it (io.py: SQLite, sleeps, files), then it is resumed
   with the answer, or an SX error is raised at the perform.
3. Its value becomes the response (convert.py); anything that is not a
   response dict: 500.

Faults: an SX error no handler took, or a bad response, is a 500 with a
short body; the error and its SX backtrace go to stderr, as `sx run`
reports them. A request past --timeout is a 503: a CPU part is interrupted
by the time-limit signal (interrupt.py) and the machine put back at the
top level (Runtime.leave_abandoned); a wait for IO is cancelled and the
suspended computation abandoned (Suspended.abandon), never resumed. Either
way, it never runs again. A transaction it left open is rolled back. No
Python traceback reaches a client (--debug prints them on stderr).

Loading: the app's files are loaded at the ASGI lifespan startup (before
the server takes connections), or at the first request if no lifespan
comes (an in-process test client). The performs of their top-level forms
(a schema's CREATE TABLE) are answered as a request's are, without a time
limit.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

from starlette.requests import Request
from starlette.responses import PlainTextResponse

from ...api import Runtime, Suspended
from ...errors import SchemeError, SxExit
from ...printer import write_string
from ...report import describe, exit_status, format_error, report, say
from ...values import MString, Procedure
from .. import web_library
from ..interrupt import Interrupted, Interrupts
from .convert import BadRequest, BadResponse, request_dict, response_from
from .db import MEMORY, Database
from .io import Answerer, PerformError


DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BODY = 1 << 20


_INTERRUPTS: list = []


def _interrupts() -> Interrupts:
    """The process's time-limit signal handler, one for every app in it
    (SIGALRM has one handler): each app gives its own limit to each run."""
    if not _INTERRUPTS:
        _INTERRUPTS.append(Interrupts(None))
    return _INTERRUPTS[0]


class LoadError(Exception):
    """The app cannot be served (its file failed, no `app` procedure): the
    message is said on stderr and the server does not start."""


def _text(status: int, text: str):
    return PlainTextResponse(text + "\n", status_code=status)


class Loader:
    """The computation that loads the app: it owns a transaction like a request."""

    waiting = None


class RequestTask:
    """One request in flight: who owns its database transaction, and what
    it waits for (for the log)."""

    __slots__ = ("label", "waiting")

    def __init__(self, label: str) -> None:
        self.label = label
        self.waiting = None


def _describe_request(request) -> str:
    text = write_string(request)
    return text if len(text) <= 80 else text[:80] + "...)"


class SxApp:
    """An ASGI application serving the SX procedure `app_name` of `path`."""

    def __init__(self, path: str, tier: str | None = None, app_name: str = "app",
                 db: str = MEMORY, timeout: float | None = DEFAULT_TIMEOUT,
                 max_body: int = DEFAULT_MAX_BODY, debug: bool = False) -> None:
        self.path = path
        self.app_name = app_name
        self.timeout = timeout
        self.max_body = max_body
        self.debug = debug
        self.rt = Runtime(tier)
        self.db = Database(db)
        self.io = Answerer(self.db, self.rt)
        self.interrupts = _interrupts()
        self.handler: Procedure | None = None
        self._loading: asyncio.Lock | None = None
        self.load_error: str | None = None

    # ---- loading -------------------------------------------------------------------

    async def start(self) -> None:
        """Load the libraries and the app (once); LoadError if that fails."""
        if self.handler is not None:
            return
        if self.load_error is not None:
            raise LoadError(self.load_error)
        if self._loading is None:
            self._loading = asyncio.Lock()
        async with self._loading:
            if self.handler is None and self.load_error is None:
                try:
                    await self._load()
                except LoadError as e:
                    self.load_error = str(e)
            if self.load_error is not None:
                raise LoadError(self.load_error)

    async def _load(self) -> None:
        # The time limit needs SIGALRM, which only the main thread can take
        # (elsewhere, e.g. under a test client's thread, there is none).
        self.interrupts.install(sigint=False)
        owner = Loader()
        files = web_library.paths()          # loaded before the app
        try:
            for f in files:
                await self._drive(lambda f=f: self.rt.start_file(f, "serve"), owner, None)
            self.rt.call(self.rt.lookup("%set-app-directory!"),
                         MString(os.path.dirname(os.path.abspath(self.path))))
            await self._drive(lambda: self.rt.start_file(self.path, "serve"), owner, None)
        except SchemeError as e:
            raise LoadError(format_error(e)) from None
        except SxExit as e:
            raise LoadError(f"{self.path}: the app called (exit {exit_status(e)}) while "
                            f"loading") from None
        except Exception as e:  # noqa: BLE001 - out of memory, a bug: said, and no server
            raise LoadError(describe(e, self.debug)) from None
        finally:
            await self.db.release(owner)
            self.db.forget_loop()
        handler = self.rt.lookup(self.app_name)
        if not isinstance(handler, Procedure):
            what = "defines no" if handler is None else \
                f"defines {self.app_name} as {write_string(handler)[:100]}, not a"
            raise LoadError(f"{self.path} {what} procedure `{self.app_name}` (a procedure "
                            f"request -> response)")
        self.handler = handler

    async def _drive(self, step, owner, deadline):
        """Run a computation from `step()` to its value, answering its
        performs. Raises what it raises, Interrupted when `deadline` (a
        loop time, or None) passes in a CPU part, asyncio.TimeoutError in
        an IO wait (the suspended computation is abandoned first)."""
        loop = asyncio.get_running_loop()
        while True:
            if deadline is None:
                result = step()
            else:
                result = self.interrupts.guarded(step, deadline - loop.time())
            if result.__class__ is not Suspended:
                return result
            susp = result
            owner.waiting = susp.request
            try:
                if deadline is None:
                    answer = await self.io.answer(susp.request, owner)
                else:
                    answer = await asyncio.wait_for(self.io.answer(susp.request, owner),
                                                    max(deadline - loop.time(), 0))
            except PerformError as e:
                step = lambda s=susp, m=str(e): s.throw(m)   # noqa: E731
            except (asyncio.TimeoutError, asyncio.CancelledError):
                susp.abandon(self._after_thunk)
                raise
            except Exception as e:  # noqa: BLE001 - a bug of the host's: an SX error for the app
                if self.debug:
                    report(e, True)
                step = lambda s=susp, m=describe(e, False): s.throw(m)   # noqa: E731
            else:
                step = lambda s=susp, a=answer: s.resume(a)   # noqa: E731

    def _after_thunk(self, call) -> None:
        """How the after thunks of an abandoned computation run: under the
        time limit; a failure of their own is logged."""
        try:
            self.interrupts.guarded(call, self.timeout)
        except (Exception, Interrupted) as ex:   # noqa: BLE001 - logged; the others still run
            say(f"sx serve: a dynamic-wind after thunk of an abandoned request failed: "
                f"{self._describe(ex)}")

    def _describe(self, ex: BaseException) -> str:
        if isinstance(ex, SchemeError):
            return format_error(ex)
        if isinstance(ex, Interrupted):
            return str(ex)
        return describe(ex, self.debug)

    async def close(self) -> None:
        """Close the database (the lifespan's shutdown does it when served)."""
        await self.db.close()

    # ---- ASGI --------------------------------------------------------------------------

    async def __call__(self, scope, receive, send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket":
            await send({"type": "websocket.close", "code": 1000})

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.start()
                except LoadError as e:
                    say(f"sx serve: {e}")
                    await send({"type": "lifespan.startup.failed", "message": ""})
                    continue
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope, receive, send) -> None:
        try:
            response = await self.respond(scope, receive)
        except Exception as e:  # noqa: BLE001 - a bug of the host's: still an answer
            self._log(scope, describe(e, self.debug))
            if self.debug:
                report(e, True)
            response = _text(500, "Internal Server Error")
        try:
            await response(scope, receive, send)
        except OSError as e:
            # (a file that went away after it was checked, a read error: the
            # status may be sent already, so the client sees a cut answer)
            self._log(scope, f"error: the response could not be sent: {e}")

    async def respond(self, scope, receive):
        """The Starlette response to one request."""
        loop = asyncio.get_running_loop()
        deadline = None if self.timeout is None else loop.time() + self.timeout
        try:
            await self.start()
        except LoadError:
            return _text(500, "Internal Server Error: the app failed to load")
        try:
            body = await self._body(scope, receive)
            request = Request(scope, _replay(body))
            req = await request_dict(request, body)
        except BadRequest as bad:
            return _text(bad.status, bad.text)
        owner = RequestTask(f"{scope['method']} {scope['path']}")
        try:
            value = await self._drive(lambda: self.rt.start(self.handler, req), owner, deadline)
            return response_from(value)
        except BadResponse as e:
            self._log(scope, f"error: {e}")
            return _text(500, "Internal Server Error")
        except Interrupted as ex:
            self.rt.leave_abandoned(ex, self._after_thunk)
            self._log(scope, f"timeout: the request ran longer than {self.timeout:g} s "
                             f"(interrupted while it computed)")
            return self._timed_out()
        except asyncio.TimeoutError:
            self._log(scope, f"timeout: the request ran longer than {self.timeout:g} s "
                             f"(abandoned while it waited for {self._waiting(owner)})")
            return self._timed_out()
        except SxExit as ex:
            self.rt.leave_abandoned(ex, self._after_thunk)
            self._log(scope, f"the handler called (exit {exit_status(ex)}); the server goes on")
            return _text(500, "Internal Server Error")
        except Exception as ex:  # noqa: BLE001 - an SX error, out of memory, a bug: a 500
            if self.debug and not isinstance(ex, SchemeError):
                report(ex, True)
            self.rt.leave_abandoned(ex, self._after_thunk)
            self._log(scope, self._describe(ex))
            return _text(500, "Internal Server Error")
        finally:
            if await self.db.release(owner):
                self._log(scope, "the request ended inside a transaction: rolled back")

    @staticmethod
    def _waiting(owner) -> str:
        return "IO" if owner.waiting is None else _describe_request(owner.waiting)

    def _timed_out(self):
        return _text(503, f"Service Unavailable: the request took longer than "
                          f"{self.timeout:g} s")

    async def _body(self, scope, receive) -> bytes:
        """The whole body, or 413 past max_body (said by Content-Length, or
        found while reading)."""
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    n = int(value)
                except ValueError:
                    raise BadRequest(400, "Bad Request: bad Content-Length") from None
                if n > self.max_body:
                    raise BadRequest(413, self._too_large())
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise BadRequest(413, self._too_large())
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _too_large(self) -> str:
        return f"Payload Too Large: the body is over {self.max_body} bytes"

    def _log(self, scope, text: str) -> None:
        say(f"sx serve: {time.strftime('%H:%M:%S')} {_loggable(scope.get('method', ''))} "
            f"{_loggable(scope.get('path', ''))}: {text}")


def _loggable(text: str) -> str:
    """A request's text as the log shows it: as it is, or written as an SX
    string when it holds a control character (as the web library's access
    log does), so that a path with a newline (%0A) cannot forge a line."""
    return text if text.isprintable() else write_string(MString(text))


def _replay(body: bytes):
    """An ASGI receive giving the body already read (to Starlette's form parser)."""
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}
    return receive


def load_app(path: str, tier: str | None = None, **options) -> SxApp:
    """The app of `path`, loaded now (SchemeError-free: a LoadError saying
    what failed). Outside a running event loop; inside one, make SxApp and
    `await app.start()`. Options: app_name, db, timeout, max_body, debug."""
    app = SxApp(path, tier, **options)
    asyncio.run(app.start())
    return app


def stdout_unbuffered() -> None:
    """What the app displays goes out at once (the server's log)."""
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except (AttributeError, ValueError):
        pass
