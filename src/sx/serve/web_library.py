"""The SX web library (lib/html.sx, lib/web.sx) for a Python host.

    rt = Runtime(tier="auto")
    web_library.load(rt)        # html.sx, web.sx and host.sx
    app = rt.eval_string('(router (route "GET" "/" (lambda (req) (text-response "hi"))))')
    rt.call(app, request_dict)  # a response dict

The library is described in the README ("Web library"); the request and
response dicts are fixed by the contract with the HTTP host there.
"""

from __future__ import annotations

import os

LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib")

# In loading order: web.sx renders its pages with html.sx; host.sx (the
# HTTP host's wrappers of perform) comes last and may use both. The HTTP
# host loads these same files before an app (http/app.py).
FILES = ("html.sx", "web.sx", "host.sx")


def paths() -> list[str]:
    """The library files, in loading order."""
    return [os.path.join(LIB, f) for f in FILES]


def load(rt) -> None:
    """Evaluate the web library into the Runtime rt."""
    for path in paths():
        rt.run_file(path, "web library")
