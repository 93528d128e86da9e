"""`sx serve APP.sx`: the app on uvicorn.

One worker (the default) serves in this process. `--workers N` runs N
processes through uvicorn's supervisor, which needs the app as an import
string: each worker calls `worker_app` (an app factory), which reads the
options from the environment variable SX_SERVE_HTTP (JSON, set here), and
loads the app itself at its lifespan startup. The app is first loaded once
here, to say what is wrong with it (and exit 1) before any worker starts:
a worker failing at startup would only be restarted by the supervisor.

SIGINT and SIGTERM are uvicorn's: it stops taking connections, lets the
requests in flight finish (each within its --timeout), then the command
ends: status 0 after SIGTERM, 130 after SIGINT (Ctrl-C), as every sx
command after Ctrl-C.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal

from ...api import within_headroom
from ...report import INTERRUPTED, say
from .app import LoadError, SxApp, stdout_unbuffered

ENV = "SX_SERVE_HTTP"


def _options(args) -> dict:
    return {"path": os.path.abspath(args.app), "tier": args.tier_name,
            "app_name": args.app_name, "db": args.db, "timeout": args.timeout,
            "max_body": args.max_body, "debug": args.debug}


class HeadroomLoop(asyncio.SelectorEventLoop):
    """The event loop of a server process (one worker or each of N): it
    runs from within the stack headroom, so every request's machine runs
    start in a chunk of CPython's frame stack that stays mapped, instead of
    mapping one of their own each time (machine.with_headroom; about 50 us
    per call of SX from Python otherwise). uvicorn creates the loop of each
    worker process from LOOP (its `loop` setting: an import string of a
    loop factory)."""

    def run_forever(self) -> None:
        within_headroom(super().run_forever)


LOOP = f"{__name__}:HeadroomLoop"


def worker_app() -> SxApp:
    """The app factory of a worker process (uvicorn --factory)."""
    stdout_unbuffered()
    return SxApp(**json.loads(os.environ[ENV]))


def serve(args) -> int:
    """Serve until SIGINT or SIGTERM: 0, or 1 if the app cannot be served."""
    import uvicorn
    options = _options(args)
    if options["db"] == ":memory:" and args.workers > 1:
        say("sx serve: warning: with --workers and no --db, each worker has its own "
            "in-memory database")
    stdout_unbuffered()
    app = SxApp(**options)
    try:
        asyncio.run(app.start())
    except LoadError as e:
        say(f"sx serve: {e}")
        return 1
    config = dict(host=args.host, port=args.port, log_level="warning",
                  access_log=args.access_log, lifespan="on", loop=LOOP)
    url = f"http://{args.host if ':' not in args.host else f'[{args.host}]'}:{args.port}"
    say(f"sx serve: {args.app} on {url} (tier {app.rt.tier}, "
        f"{args.workers} worker{'s' * (args.workers > 1)}, pid {os.getpid()})")
    # uvicorn takes SIGINT and SIGTERM while it serves, and raises the one
    # it got again once it has shut down, to the handler in place before:
    # this one, which only notes it, so the command can end with a status.
    got = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, frame: got.append(signum))
    try:
        if args.workers > 1:
            asyncio.run(app.close())     # each worker loads its own
            del app
            os.environ[ENV] = json.dumps(options)
            uvicorn.run("sx.serve.http.launch:worker_app", factory=True,
                        workers=args.workers, **config)
            return INTERRUPTED if signal.SIGINT in got else 0
        server = uvicorn.Server(uvicorn.Config(app, **config))
        server.run()
        if not server.started:
            return 1
        return INTERRUPTED if signal.SIGINT in got else 0
    except SystemExit as e:          # uvicorn's own exit: startup failed (a busy port)
        return e.code if isinstance(e.code, int) and e.code != 3 else 1
    finally:
        logging.shutdown()
