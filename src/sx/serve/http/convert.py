"""Between HTTP and SX data: a Starlette request -> the SX request dict, the
SX response dict -> a Starlette response (docs/serving-contract.md).

Starlette does the parsing (query strings, headers, cookies, urlencoded
and multipart forms) and the writing (headers, cookies, files); this
module only moves values between its objects and SX dicts with symbol keys.

What the client got wrong is a `BadRequest` (400, 413: its status and a
short text for the client); what the handler got wrong is a `BadResponse`
(500: the text goes to the log, never to the client).
"""

from __future__ import annotations

import logging
import math
import os

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from ...errors import SchemeError
from ...printer import write_string
from ...runtime import PRIMITIVES
from ...runtime.equality import equal_key
from ...values import NIL, Dict, MString, Pair, Symbol, intern

# python-multipart logs what it finds wrong in a form on its way to the
# error that makes it a 400: the client is told, the server's log need not be.
logging.getLogger("python_multipart").setLevel(logging.ERROR)
logging.getLogger("multipart").setLevel(logging.ERROR)

K = {name: intern(name) for name in (
    "method", "path", "query", "headers", "cookies", "body", "form", "json", "client",
    "status", "file", "name", "value", "max-age", "path", "http-only", "secure",
    "same-site", "expires", "domain")}


class BadRequest(Exception):
    """The request cannot be handed to the app: (status, text for the client)."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class BadResponse(Exception):
    """The handler's value is not a response (the message is logged)."""


def sx_dict(items) -> Dict:
    """An SX dict of (key, value) pairs (keys: symbols or strings)."""
    table = {}
    for k, v in items:
        table[equal_key(k)] = (k, v)
    return Dict(table)


def _strings(pairs) -> Dict:
    return sx_dict((MString(k), MString(v)) for k, v in pairs)


# ---- the request -----------------------------------------------------------------

def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(400, "Bad Request: the body is not UTF-8 text") from None


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def _form(request: Request):
    try:
        form = await request.form()
    except (MultiPartException, HTTPException) as e:
        detail = getattr(e, "detail", None) or getattr(e, "message", None) or "malformed"
        raise BadRequest(400, f"Bad Request: the form cannot be read: {detail}") from None
    items = []
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            # a file field's value is the file's content, as text
            value = _text(await value.read())
        items.append((name, value))
    await form.close()
    return _strings(items)          # (a repeated field: the last value wins)


def json_to_sx(text: str):
    """A JSON text as an SX value: the runtime's json->sx (runtime/json.py,
    the contract's mapping), which bounds the nesting itself (Python's C
    parser would overflow the C stack on a body of 100,000 ['s); what it
    refuses is a 400 saying why."""
    try:
        return PRIMITIVES["json->sx"].fn(MString(text))
    except SchemeError as e:
        # "json->sx: invalid JSON at line 1 column 2: ..." -> "invalid JSON at ..."
        why = e.payload.message.removeprefix("json->sx: ")
        raise BadRequest(400, f"Bad Request: {why}") from None


async def request_dict(request: Request, body: bytes) -> Dict:
    """The SX request dict of the contract."""
    text = _text(body)
    media = _media_type(request)
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        # (a repeated header: its values joined, as HTTP allows)
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    form = False
    if media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await _form(request)
    client = request.client
    items = [
        (K["method"], MString(request.method.upper())),
        (K["path"], MString(request.url.path)),
        (K["query"], _strings(request.query_params.items())),
        (K["headers"], _strings(headers.items())),
        (K["cookies"], _strings(request.cookies.items())),
        (K["body"], MString(text)),
        (K["form"], form),
        (K["client"], MString(f"{client.host}:{client.port}" if client else "")),
    ]
    if media == "application/json" and text.strip():
        items.append((K["json"], json_to_sx(text)))
    return sx_dict(items)


# ---- the response ----------------------------------------------------------------

def _show(x) -> str:
    text = write_string(x)
    return text if len(text) <= 200 else text[:200] + "..."


def _get(d: Dict, key: str, default):
    entry = d.table.get(K[key])
    return default if entry is None else entry[1]


def _string(x, what: str) -> str:
    if x.__class__ is MString:
        return x.s
    raise BadResponse(f"{what} must be a string, got {_show(x)}")


def response_from(value) -> Response:
    """The Starlette response of a handler's value; BadResponse if it is not one."""
    if value.__class__ is not Dict:
        raise BadResponse(f"handler returned {_show(value)}, not a response")
    status = _get(value, "status", 200)
    if type(status) is not int or not 100 <= status <= 599:
        raise BadResponse(f"the response's status must be an integer from 100 to 599, "
                          f"got {_show(status)}")
    headers = _headers(_get(value, "headers", NIL))
    path = _get(value, "file", False)
    if path is not False:
        path = _string(path, "the response's file")
        if not os.path.isfile(path):
            raise BadResponse(f"the response's file does not exist: {path}")
        response = FileResponse(path, status_code=status)
    else:
        body = _get(value, "body", MString(""))
        if body.__class__ is MString:
            content, media = body.s.encode("utf-8"), "text/plain; charset=utf-8"
        elif body.__class__ is bytearray:
            content, media = bytes(body), "application/octet-stream"
        else:
            raise BadResponse(f"the response's body must be a string or a bytevector, "
                              f"got {_show(body)}")
        if any(name.lower() == "content-type" for name, _ in headers):
            media = None
        response = Response(content, status_code=status, media_type=media)
    for name, v in headers:
        if name.lower() == "content-type" and path is not False:
            response.headers["content-type"] = v
        else:
            response.headers.append(name, v)
    for cookie in _list(_get(value, "cookies", NIL), "the response's cookies"):
        _set_cookie(response, cookie)
    return response


def _list(x, what: str) -> list:
    out = []
    while x.__class__ is Pair:
        out.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise BadResponse(f"{what} must be a list, got {_show(x)}")
    return out


def _headers(x) -> list[tuple[str, str]]:
    out = []
    for h in _list(x, "the response's headers"):
        if h.__class__ is not Pair or h.car.__class__ is not MString or \
                h.cdr.__class__ is not MString:
            raise BadResponse(f"a response header must be a (name . value) pair of strings, "
                              f"got {_show(h)}")
        name, v = h.car.s, h.cdr.s
        if not name or any(c in name for c in " \t\r\n:") or "\r" in v or "\n" in v:
            raise BadResponse(f"bad response header {_show(h)}")
        out.append((name, v))
    return out


def _set_cookie(response: Response, cookie) -> None:
    if cookie.__class__ is not Dict:
        raise BadResponse(f"a cookie must be a dict, got {_show(cookie)}")

    def opt(key, kind):
        v = _get(cookie, key, None)
        if v is None or v is False:
            return None
        if kind is int and (type(v) is not int):
            if type(v) is float and math.isfinite(v):
                return int(v)
            raise BadResponse(f"the cookie's {key} must be an integer, got {_show(v)}")
        if kind is str:
            return _string(v, f"the cookie's {key}")
        return v

    name = _string(_get(cookie, "name", None), "a cookie's name")
    value = _string(_get(cookie, "value", MString("")), "the cookie's value")
    same = opt("same-site", str)
    if same is not None and same.lower() not in ("lax", "strict", "none"):
        raise BadResponse(f"the cookie's same-site must be \"lax\", \"strict\" or \"none\", "
                          f"got {same!r}")
    expires = _get(cookie, "expires", None)
    if expires is not None and expires is not False:
        if type(expires) is not int and expires.__class__ is not MString:
            raise BadResponse(f"the cookie's expires must be a string or seconds, "
                              f"got {_show(expires)}")
        expires = expires.s if expires.__class__ is MString else expires
    else:
        expires = None
    try:
        response.set_cookie(
            name, value, max_age=opt("max-age", int), expires=expires,
            path=opt("path", str) or "/", domain=opt("domain", str),
            secure=_get(cookie, "secure", False) is not False,
            httponly=_get(cookie, "http-only", False) is not False,
            samesite=same.lower() if same else "lax")
    except Exception as e:  # noqa: BLE001 - http.cookies refuses some names: the handler's fault
        raise BadResponse(f"bad cookie {name!r}: {e}") from None


def symbol_name(x) -> str:
    return x.name if x.__class__ is Symbol else write_string(x)
