"""The code cache, like Python's .pyc files: what SX made from a source is
kept on disk under a key that names everything it depends on, and read
back on the next run instead of being made again. It keeps the forms read
from source files (read_all_cached), tier 2's compiled Python
(compile_python), and what compilers written in SX (a guest's parser, say)
store through three primitives:

    (code-cache-key part ...)              a key: SX's and Python's versions
                                           and the strings given (the
                                           source, the compiler's own text)
    (code-cache-ref key default)           what was stored under key, or default
    (code-cache-set! key datum)            store datum under key

A datum is SX data: numbers, booleans, characters, strings, symbols,
pairs, vectors, bytevectors and the empty list. Stored data comes back
equal?, not eq?: a fresh copy at each ref.

The cache is a convenience, never a source of errors:
- The folder is $SX_CACHE_DIR, else $XDG_CACHE_HOME/sx, else ~/.cache/sx;
  SX_CACHE=off turns the cache off (every ref answers its default).
- An entry is written to a temporary file and renamed into place, so two
  processes storing the same key at once both succeed and a reader never
  sees half an entry.
- An entry carries a SHA-256 of its contents: a corrupt or truncated one is
  ignored (the ref answers its default) and the next set! replaces it.
- A folder that cannot be made or written to (read-only, full) is ignored:
  set! does nothing.

Entries are marshal data. SX data is kept as plain tuples, decoded here tag
by tag; tier 2's entries are Python code objects, which SX runs: like a
__pycache__ folder, the cache folder must be writable only by whoever runs
SX (as ~/.cache is).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import tempfile
from fractions import Fraction
from types import CodeType

from .. import __version__
from ..reader import SourceMap, read_all
from ..values import NIL, Char, MString, Pair, Symbol, intern, make_char
from .strings import check_string
from .registry import primitive

MAGIC = b"SXC1"
_LABEL = re.compile(r"#[0-9]+[=#]")     # a datum label
DIGEST = 32          # bytes of SHA-256


def directory() -> str | None:
    """The cache folder, or None when SX_CACHE=off."""
    if os.environ.get("SX_CACHE", "").lower() in ("off", "0", "no"):
        return None
    explicit = os.environ.get("SX_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "sx")


_FINGERPRINT: list[bytes] = []


def fingerprint() -> bytes:
    """A digest of SX's own source files (every .py file of the sx package,
    by name, size and modification time, as Python's .pyc files are
    checked): any change to SX, a version number or not, makes every key
    new. (About 2 ms, once per process.)"""
    if not _FINGERPRINT:
        h = hashlib.sha256(f"sx {__version__} python {sys.version_info[:2]}".encode())
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    try:
                        st = os.stat(path)
                    except OSError:
                        continue
                    h.update(f"{os.path.relpath(path, root)} {st.st_size} {st.st_mtime_ns}\n".encode())
        _FINGERPRINT.append(h.digest())
    return _FINGERPRINT[0]


def key(*parts: str) -> str:
    """The key of what was made from `parts`, by this SX under this Python."""
    h = hashlib.sha256(fingerprint())
    for p in parts:
        data = p.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))     # ("ab","c") is not ("a","bc")
        h.update(data)
    return h.hexdigest()


def _path(folder: str, k: str) -> str:
    return os.path.join(folder, k[:2], k[2:])


def load(k: str):
    """What is stored under key k, or None (none, corrupt, cache off): the
    marshal data that was stored (tuples that _decode makes SX data of, or
    what store(encoded=True) was given)."""
    folder = directory()
    if folder is None:
        return None
    try:
        with open(_path(folder, k), "rb") as f:
            blob = f.read()
    except OSError:
        return None
    payload = blob[len(MAGIC) + DIGEST:]
    if blob[:len(MAGIC)] != MAGIC or hashlib.sha256(payload).digest() != blob[len(MAGIC):len(MAGIC) + DIGEST]:
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, TypeError, EOFError):
        return None


def store(k: str, datum, encoded: bool = False) -> bool:
    """Store datum under key k; False when it could not be (cache off, a
    folder not writable, data that is not storable)."""
    folder = directory()
    if folder is None:
        return False
    try:
        payload = marshal.dumps(datum if encoded else _encode(datum))
    except (_Unstorable, RecursionError, ValueError):
        return False
    target = _path(folder, k)
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".tmp-")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, target)      # atomic: the last writer's whole entry wins
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


# ---- source files, read once ----------------------------------------------------

def read_all_cached(text: str, filename: str):
    """reader.read_all(text, filename) of a source file: from the cache when
    this text was read before, with the same source locations."""
    if _LABEL.search(text):
        # (the cache keeps what a list shares with another as a whole, not
        # one pair's sharing: rare enough to read such a text each time)
        return read_all(text, filename)
    k = key("read", text)
    found = load(k)
    if type(found) is list:
        srcmap = SourceMap()
        try:
            return [(_decode(d, srcmap, filename), (filename, line, col))
                    for d, line, col in found], srcmap
        except _NOT_OURS:
            pass            # (read it, and replace the entry)
    forms, srcmap = read_all(text, filename)
    try:
        entry = [(_encode(d, srcmap), line, col) for d, (_f, line, col) in forms]
    except (_Unstorable, RecursionError):    # (too deep)
        return forms, srcmap
    store(k, entry, encoded=True)
    return forms, srcmap


# ---- Python compiled once ------------------------------------------------------

def compile_python(src: str, filename: str) -> CodeType:
    """compile(src, filename, "exec"), from the cache when this source was
    compiled before (tier 2's generated code: its constants come from the
    namespace it runs in, so its text says all it does)."""
    k = key("python", filename, src)
    found = load(k)
    if type(found) is CodeType:
        return found
    compiled = compile(src, filename, "exec")
    store(k, compiled, encoded=True)
    return compiled


# ---- data <-> marshal's tuples ---------------------------------------------------

class _Unstorable(Exception):
    pass


# What decoding an entry that passed its checksum but is not SX's raises
_NOT_OURS = (ValueError, TypeError, IndexError, KeyError, RecursionError)


# Numbers and booleans stand for themselves, a Python str for a symbol and
# None for the empty list. The rest are tuples, tagged by their first item. A
# list is (_LIST, items, tail, locations): with a source map, each pair's
# (line, column) or None; without one, None. A list, vector, string or
# bytevector met again is (_REF, n): the n-th of them completed, so what
# was shared (by #n= labels, say) is shared again when read back.
_STR, _CHAR, _LIST, _VEC, _BYTES, _RATIO, _REF = range(7)


class _Encoder:
    """Data as marshal's tuples. A cycle is not storable."""

    def __init__(self, srcmap=None) -> None:
        self.srcmap = srcmap
        # (ids of objects reachable from the datum encoded, alive meanwhile)
        self.done: dict[int, int] = {}    # id of a completed object -> its number
        self.open: set[int] = set()       # ids of those being encoded

    def encode(self, x):
        t = type(x)
        if t is int or t is float or t is bool or t is complex:
            return x
        if t is Symbol:
            return x.name
        if t is Char:
            return (_CHAR, x.c)
        if x is NIL:
            return None
        if t is Fraction:
            return (_RATIO, x.numerator, x.denominator)
        if t is not Pair and t is not list and t is not MString and t is not bytearray:
            raise _Unstorable(t.__name__)
        i = id(x)
        n = self.done.get(i)
        if n is not None:
            return (_REF, n)
        if i in self.open:
            raise _Unstorable("a cycle")
        self.open.add(i)
        if t is Pair:
            out = self.pairs(x)
        elif t is list:
            out = (_VEC, [self.encode(v) for v in x])
        elif t is MString:
            out = (_STR, x.s)
        else:
            out = (_BYTES, bytes(x))
        self.open.discard(i)
        self.done[i] = len(self.done)
        return out

    def pairs(self, x):
        items = []
        srcmap = self.srcmap
        locs = [] if srcmap is not None else None
        cells = set()
        while True:                       # (a loop: lists may be long)
            cells.add(id(x))
            items.append(self.encode(x.car))
            if locs is not None:
                loc = srcmap.get(id(x))
                locs.append(loc[1:] if loc else None)
            x = x.cdr
            if type(x) is not Pair or id(x) in self.done:    # (the latter: a _REF tail)
                break
            if id(x) in cells or id(x) in self.open:
                raise _Unstorable("a circular list")
        return (_LIST, items, self.encode(x), locs)


def _encode(x, srcmap=None):
    return _Encoder(srcmap).encode(x)


def _decode(x, srcmap=None, filename=None):
    table: list = []       # the lists, vectors, strings and bytevectors, completed

    def decode(x):
        t = type(x)
        if t is str:
            return intern(x)
        if t is tuple:
            tag = x[0]
            if tag == _LIST:
                _, items, tail, locs = x
                cars = [decode(item) for item in items]    # (in the encoder's order)
                result = decode(tail)
                if locs is None or srcmap is None:
                    for car in reversed(cars):
                        result = Pair(car, result)
                else:
                    for car, loc in zip(reversed(cars), reversed(locs)):
                        result = Pair(car, result)
                        if loc is not None:
                            srcmap.note(result, (filename, loc[0], loc[1]))
            elif tag == _REF:
                return table[x[1]]
            elif tag == _STR:
                result = MString(x[1])
            elif tag == _VEC:
                result = [decode(v) for v in x[1]]
            elif tag == _CHAR:
                return make_char(x[1])
            elif tag == _RATIO:
                return Fraction(x[1], x[2])
            elif tag == _BYTES:
                result = bytearray(x[1])
            else:
                raise ValueError("unknown tag")
            table.append(result)
            return result
        if x is None:
            return NIL
        if t is int or t is float or t is bool or t is complex:
            return x
        raise TypeError("not an entry")

    return decode(x)


# ---- the primitives ---------------------------------------------------------------

@primitive("code-cache-key")
def code_cache_key(*parts):
    return MString(key(*(check_string("code-cache-key", p) for p in parts)))


@primitive("code-cache-ref")
def code_cache_ref(k, default):
    found = load(check_string("code-cache-ref", k))
    if found is None:
        return default
    try:
        return _decode(found)
    except _NOT_OURS:
        return default


@primitive("code-cache-set!")
def code_cache_set(k, datum):
    return store(check_string("code-cache-set!", k), datum)
