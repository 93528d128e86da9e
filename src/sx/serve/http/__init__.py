"""Serving HTTP: `sx serve APP.sx`, an SX web application on uvicorn.

    app.py      the ASGI application: a request is an SX computation whose
                performs the event loop answers (SxApp, load_app)
    convert.py  HTTP <-> SX: the request dict, the response dict (Starlette)
    io.py       the answers to perform: database, sleep, read-file
    db.py       SQLite through aiosqlite; transactions one at a time
    launch.py   the command: uvicorn, one process or --workers N

The interface with the SX web library (the request and response dicts, the
perform requests) is docs/serving-contract.md; the README's "Serving HTTP"
describes the command.
"""

from .app import LoadError, SxApp, load_app

__all__ = ["LoadError", "SxApp", "load_app"]
