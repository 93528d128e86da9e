"""The HTTP host (sx.serve.http), in process: an ASGI client (httpx's
ASGITransport) talks to the app of tests/http_apps/basic.sx, which builds
its response dicts itself (no web library), under every tier.

Each test runs its requests in one event loop (`talk`), against an app
made for it: one Runtime and one in-memory database.
"""

import asyncio
import os
import time

import httpx
import pytest

from sx.api import TIERS
from sx.serve.http import LoadError, SxApp

HERE = os.path.dirname(os.path.abspath(__file__))
BASIC = os.path.join(HERE, "http_apps", "basic.sx")


def talk(app, conversation):
    """conversation(client) (a coroutine function), in one event loop."""
    async def main():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 4321))
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await conversation(client)
        finally:
            await app.close()
    return asyncio.run(main())


def get_all(app, *paths):
    async def conversation(c):
        return [await c.get(p) for p in paths]
    return talk(app, conversation)


def summary(r):
    headers = [(k, v) for k, v in r.headers.multi_items() if k != "content-length"]
    return r.status_code, headers, r.content


@pytest.fixture(params=TIERS)
def tier(request):
    return request.param


# ---- the same responses under every tier -------------------------------------------

SCRIPT = ["/hello", "/echo?a=1&a=2&b=%C3%A9", "/headers", "/bytes", "/boom", "/not-a-response",
          "/db/add?body=one", "/db/add?body=two", "/db/list", "/db/caught", "/effect/plain",
          "/effect/txn", "/effect/commit", "/effect/nested", "/effect/count", "/nowhere"]


def test_every_tier_gives_the_same_responses():
    results = {t: [summary(r) for r in get_all(SxApp(BASIC, t), *SCRIPT)] for t in TIERS}
    for t in TIERS:
        assert results[t] == results["cek"], t
    by_path = dict(zip(SCRIPT, results["cek"]))
    assert by_path["/hello"][0] == 200 and by_path["/hello"][2] == b"hello"
    assert by_path["/db/list"][2] == b'((1 "one" 1.5 null) (2 "two" 1.5 null))'
    assert by_path["/nowhere"][0] == 404


# ---- the request dict --------------------------------------------------------------

def test_the_request_dict(tier):
    async def conversation(c):
        c.cookies.set("flavour", "oat")
        return [
            await c.get("/echo?a=1&a=2&b=%C3%A9", headers={"X-Thing": "yes"}),
            await c.post("/echo", data={"name": "Ada", "note": "a&b=c"}),
            await c.post("/echo", json={"list": [1, 2.5, None, True], "s": "é"}),
            await c.post("/echo", files={"upload": ("f.txt", b"file text")},
                         data={"field": "v"}),
            await c.put("/echo", content="plain body"),
        ]
    q, form, js, multi, plain = talk(SxApp(BASIC, tier), conversation)
    assert q.text == ('("GET" "/echo" (("a" . "2") ("b" . "\u00e9")) "yes" (("flavour" . "oat")) '
                      '"" #f absent)')
    assert form.text.startswith('("POST" "/echo" () #f (("flavour" . "oat")) '
                                '"name=Ada&note=a%26b%3Dc" (("name" . "Ada") ("note" . "a&b=c")) ')
    assert js.text.endswith('#<dict "list" #(1 2.5 null #t) "s" "\u00e9">)')
    assert '(("field" . "v") ("upload" . "file text")) absent)' in multi.text
    assert plain.text.startswith('("PUT" "/echo" () #f (("flavour" . "oat")) "plain body" #f')


def test_the_method_path_and_client():
    app = SxApp(os.path.join(HERE, "http_apps", "client.sx"), "auto")
    (r,) = get_all(app, "/a%20b/c")
    assert r.text == '("GET" "/a b/c" "127.0.0.1:4321")'


# ---- the response dict -------------------------------------------------------------

def test_the_response_dict(tier, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>static</p>")
    headers, data, file, missing = get_all(SxApp(BASIC, tier), "/headers", "/bytes",
                                           f"/file?path={page}", "/file?path=/no/such/file")
    assert headers.status_code == 201
    assert headers.headers.get_list("x-many") == ["a", "b"]
    assert headers.headers["content-type"] == "application/json"
    assert headers.json() == {"ok": True}
    cookies = headers.headers.get_list("set-cookie")
    assert cookies[0] == "session=abc; HttpOnly; Max-Age=60; Path=/; SameSite=strict"
    assert cookies[1] == "plain=x; Path=/; SameSite=lax"
    assert data.content == bytes([0, 1, 2, 255])
    assert data.headers["content-type"] == "application/octet-stream"
    assert file.text == "<p>static</p>" and file.headers["content-type"].startswith("text/html")
    assert missing.status_code == 500 and missing.text == "Internal Server Error\n"


# ---- faults ------------------------------------------------------------------------

def test_a_handler_error_is_a_500_logged_with_its_backtrace_and_the_server_goes_on(tier, capfd):
    boom, txn, bad, raised, forged, after = get_all(
        SxApp(BASIC, tier), "/boom", "/effect/txn", "/not-a-response", "/raise",
        "/fail/a%0AGET%20/forged", "/hello")
    assert (boom.status_code, boom.text) == (500, "Internal Server Error\n")
    assert bad.status_code == raised.status_code == txn.status_code == 500
    assert after.status_code == 200
    err = capfd.readouterr().err
    assert "GET /boom: " in err and "basic.sx:38:29: error: vector-ref: index out of range: 5" in err
    # the error of a with-transaction keeps its location, and the backtrace the calls
    assert "basic.sx:70:10: error: car: expected a pair, got ()" in err
    assert "in with-transaction" in err
    assert "GET /not-a-response: error: handler returned 42, not a response" in err
    assert "uncaught exception: oops" in err
    # a path with a control character is written quoted: it forges no line
    assert forged.status_code == 500
    assert 'GET "/fail/a\\nGET /forged": ' in err and "\nGET /forged" not in err
    assert "Traceback" not in err


def test_bad_requests_are_answered_by_the_host(tier):
    async def conversation(c):
        return [
            await c.post("/echo", content=b"{bad", headers={"content-type": "application/json"}),
            await c.post("/echo", content=b"\xff\xfe"),
            await c.post("/echo", content=b"--x\r\nbroken\r\n\r\n",
                         headers={"content-type": "multipart/form-data; boundary=x"}),
            await c.post("/echo", content=b"x" * 101),
            await c.post("/echo", content=b"x" * 100),
        ]
    app = SxApp(BASIC, tier, max_body=100)
    bad_json, not_utf8, bad_form, big, fits = talk(app, conversation)
    assert bad_json.status_code == 400 and bad_json.text.startswith(
        "Bad Request: invalid JSON at line 1 column")
    assert (not_utf8.status_code, not_utf8.text) == (400, "Bad Request: the body is not UTF-8 text\n")
    assert bad_form.status_code == 400 and bad_form.text.startswith("Bad Request: the form")
    assert (big.status_code, big.text) == (413, "Payload Too Large: the body is over 100 bytes\n")
    assert fits.status_code == 200
    assert app.rt.lookup("requests") == 1        # the handler saw only the last one


def test_json_nested_too_deep_is_a_400_not_a_crash():
    """Python's JSON parser recurses in C, under SX's very high recursion
    limit: 100,000 ['s used to overflow the C stack (a dead worker)."""
    deep_object = '{"a":' * 1000 + "1" + "}" * 1000

    async def conversation(c):
        hdr = {"content-type": "application/json"}
        return [await c.post("/echo", content=b"[" * n + b"]" * n, headers=hdr)
                for n in (100_000, 5_000)] + \
            [await c.post("/echo", content=deep_object, headers=hdr)]
    huge, deep, fine = talk(SxApp(BASIC, "auto", max_body=1 << 20), conversation)
    assert (huge.status_code, huge.text) == (400, "Bad Request: invalid JSON: nested deeper than "
                                                  "1000 levels\n")
    assert deep.status_code == 400
    assert fine.status_code == 200 and fine.text.count("#<dict") == 1000


def test_a_body_over_the_limit_without_a_length_is_cut_off():
    """A chunked body (no Content-Length) is counted as it comes."""
    app = SxApp(BASIC, "auto", max_body=10)
    sent = []

    async def main():
        chunks = [{"type": "http.request", "body": b"123456", "more_body": True}] * 3

        async def receive():
            return chunks.pop(0) if chunks else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)
        scope = {"type": "http", "method": "POST", "path": "/echo", "raw_path": b"/echo",
                 "query_string": b"", "headers": [], "client": ("127.0.0.1", 1),
                 "server": ("test", 80), "scheme": "http", "root_path": "",
                 "http_version": "1.1", "asgi": {"version": "3.0"}}
        await app(scope, receive, send)
        await app.close()
    asyncio.run(main())
    assert sent[0]["status"] == 413
    assert app.rt.lookup("requests") == 0


def test_the_time_limit_interrupts_cpu_and_abandons_waits(tier):
    app = SxApp(os.path.join(HERE, "http_apps", "slow.sx"), tier, timeout=0.3)

    async def conversation(c):
        spin = await c.get("/spin")
        wait = await c.get("/sleep-then-write")
        txn = await c.get("/spin-in-transaction")
        await asyncio.sleep(0.5)      # the abandoned wait would be over by now
        return spin, wait, txn, await c.get("/count"), await c.get("/write")
    spin, wait, txn, count, write = talk(app, conversation)
    text = "Service Unavailable: the request took longer than 0.3 s\n"
    assert (spin.status_code, spin.text) == (503, text)
    assert (wait.status_code, wait.text) == (503, text)
    assert txn.status_code == 503
    # nothing after the abandoned sleep ran; the transaction was rolled back
    # and its lock released (the next write goes through); the after thunk ran
    assert count.text == "((writes 0) (after-thunks 1))"
    assert write.text == "1"


def test_writes_follow_the_transaction_rules_and_no_handler_runs_twice(tier):
    app = SxApp(BASIC, tier)
    *_, count = get_all(app, "/effect/plain", "/effect/txn", "/effect/commit", "/effect/count")
    assert count.text == '(("commit" 2) ("plain" 1))'
    assert app.rt.lookup("requests") == 4


def test_a_transaction_takes_in_no_other_requests_statement(tier):
    """While one request is inside a transaction that will be rolled back,
    another writes outside any: its write must not be rolled back with it."""
    app = SxApp(BASIC, tier)

    async def conversation(c):
        txn, plain = await asyncio.gather(c.get("/effect/txn"),
                                          c.get("/db/add?body=outside"))
        return txn, plain, await c.get("/db/list")
    txn, plain, listing = talk(app, conversation)
    assert (txn.status_code, plain.status_code) == (500, 200)
    assert listing.text == '((1 "outside" 1.5 null))'


def test_io_errors_are_sx_errors_at_the_perform(tier, tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("some text")
    app = SxApp(BASIC, tier)
    caught, bad, text, missing = get_all(app, "/db/caught", "/db/bad", f"/read?path={f}",
                                         "/read?path=/no/such/file")
    assert caught.text == "db-query: no such table: nowhere"
    assert bad.status_code == 500
    assert text.text == "some text"
    assert missing.status_code == 500


def test_requests_wait_concurrently_and_see_only_their_own_state(tier):
    """20 requests sleeping 0.2 s each through perform: in flight at once,
    so well under 20 x 0.2 s (a concurrency property, with a wide margin)."""
    app = SxApp(BASIC, tier)

    async def conversation(c):
        start = time.perf_counter()
        rs = await asyncio.gather(*[c.get(f"/sleep?s=0.2&id=r{i}") for i in range(20)])
        return rs, time.perf_counter() - start
    rs, took = talk(app, conversation)
    assert [r.text for r in rs] == [f"r{i}" for i in range(20)]
    assert took < 2.0


# ---- loading -----------------------------------------------------------------------

def test_the_app_loads_at_startup_with_its_performs_answered(tmp_path):
    app_file = tmp_path / "app.sx"
    app_file.write_text('(db-exec "create table t (x)")\n(db-exec "insert into t values (7)")\n'
                        '(define (app req) (make-dict \'body (number->string\n'
                        '  (dict-ref (car (db-query "select x from t")) \'x))))\n')
    db = tmp_path / "data.db"
    (r,) = get_all(SxApp(str(app_file), "auto", db=str(db)), "/")
    assert r.text == "7" and db.exists()


@pytest.mark.parametrize("source, message", [
    ("(define (app req) (car 1))\n(car '())\n", "app.sx:2:1: error: car: expected a pair, got ()"),
    ("(define (handler req) 1)\n", "app.sx defines no procedure `app`"),
    ("(define app 5)\n", "app.sx defines app as 5, not a procedure `app`"),
    ("(define (app req) 1\n", "app.sx:1:1: error:"),
])
def test_an_app_that_cannot_load_says_why(tmp_path, source, message):
    app_file = tmp_path / "app.sx"
    app_file.write_text(source)
    app = SxApp(str(app_file), "auto")
    with pytest.raises(LoadError) as ei:
        asyncio.run(app.start())
    assert message in str(ei.value)
    (r,) = get_all(app, "/")
    assert r.status_code == 500 and r.text == "Internal Server Error: the app failed to load\n"


def test_the_app_name_option(tmp_path):
    app_file = tmp_path / "app.sx"
    app_file.write_text("(define (site req) (make-dict 'body \"site\"))\n")
    (r,) = get_all(SxApp(str(app_file), "cek", app_name="site"), "/")
    assert r.text == "site"


# ---- what the host drives computations with (sx.api) --------------------------------

def test_runtime_start_suspends_at_a_perform_and_abandon_leaves_its_extent(tier):
    from sx.api import Runtime, Suspended
    rt = Runtime(tier)
    rt.eval_string("(define log '())"
                   "(define (f x) (dynamic-wind (lambda () #f)"
                   "  (lambda () (+ x (perform 'ask)))"
                   "  (lambda () (set! log (cons 'after log)))))")
    f = rt.lookup("f")
    assert rt.start(rt.lookup("car"), rt.eval_string("'(1 2)")) == 1
    a, b = rt.start(f, 1), rt.start(f, 2)
    assert isinstance(a, Suspended) and a.request.name == "ask"
    assert b.resume(40) == 42
    a.abandon(lambda call: call())
    assert rt.eval_string("log").car.name == "after"
    assert rt.eval_string("(length log)") == 2     # b's after thunk, then a's


def test_load_app_loads_now(tmp_path):
    from sx.serve.http import load_app
    app = load_app(BASIC, tier="cek")
    assert app.handler is not None and app.rt.lookup("requests") == 0
    (r,) = get_all(app, "/hello")
    assert r.text == "hello"
    bad = tmp_path / "bad.sx"
    bad.write_text("(car 1)\n")
    with pytest.raises(LoadError, match="bad.sx:1:1: error: car: expected a pair, got 1"):
        load_app(str(bad))


def test_a_parameterize_is_seen_only_by_its_own_request():
    # while one request waits inside a parameterize, the others see the
    # parameter's value from outside it; one abandoned there (its time
    # limit) leaves it so too
    app = SxApp(os.path.join(HERE, "http_apps", "param.sx"), "auto", timeout=0.5)

    async def conversation(c):
        async def later():
            await asyncio.sleep(0.1)
            return await c.get("/")
        a, b, c2, slow = await asyncio.gather(c.get("/?v=A"), later(), c.get("/?v=C"),
                                              c.get("/?v=slow"))
        return a.text, b.text, c2.text, slow.status_code, (await c.get("/")).text
    assert talk(app, conversation) == ("A", "none", "C", 503, "none")
