"""`sx serve APP.sx` end to end: the command starts uvicorn on a free
loopback port, the tests talk HTTP to it, and it is always stopped (by
SIGTERM, else killed) before the test ends."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(os.path.dirname(HERE), "src")
BASIC = os.path.join(HERE, "http_apps", "basic.sx")
ENV = {k: v for k, v in os.environ.items() if not k.startswith("SX_")}
ENV["PYTHONPATH"] = SRC
WAIT = 20          # seconds: the longest a start or an answer may take on a busy machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, app, *options) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sx", "serve", app, "--port", str(self.port), *options],
            env=ENV, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)

    def ready(self) -> None:
        """Wait until it answers (or has died)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited: {self.proc.stderr.read()}")
            try:
                httpx.get(self.url + "/hello", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("the server did not start")

    def stop(self) -> tuple[int, str]:
        """SIGTERM; its status and stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return self.proc.returncode, err


@pytest.fixture
def server():
    started = []

    def start(app=BASIC, *options):
        s = Server(app, *options)
        started.append(s)
        return s
    yield start
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.communicate()


def test_serving_over_http(server):
    s = server(BASIC, "--tier", "vm", "--timeout", "0.5")
    s.ready()
    with httpx.Client(base_url=s.url, timeout=WAIT) as c:
        assert c.get("/hello").text == "hello"
        r = c.post("/echo?q=1", json={"n": 1})
        assert r.text.endswith('"{\\"n\\":1}" #f #<dict "n" 1>)') or '#<dict "n" 1>' in r.text
        assert c.get("/boom").status_code == 500
        assert c.get("/spin").status_code == 503
        assert c.post("/echo", content=b"\xff").status_code == 400
        assert c.post("/echo", content=b"x" * ((1 << 20) + 1)).status_code == 413
        assert c.get("/db/add?body=a").text == "(1 1)"
        assert c.get("/hello").status_code == 200
    status, err = s.stop()
    assert status == 0
    assert f"sx serve: {BASIC} on http://127.0.0.1:{s.port} (tier vm, 1 worker" in err
    assert "GET /boom: " in err and "vector-ref: index out of range: 5" in err
    assert "GET /spin: timeout: the request ran longer than 0.5 s (interrupted while it " \
           "computed)" in err
    assert "Traceback" not in err


def test_sigterm_lets_the_requests_in_flight_finish(server):
    s = server(BASIC)
    s.ready()
    answers = []

    def slow():
        answers.append(httpx.get(s.url + "/sleep?s=1&id=slow", timeout=WAIT))
    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.3)                 # the request is in flight, sleeping
    status, err = s.stop()
    t.join(WAIT)
    assert [(r.status_code, r.text) for r in answers] == [(200, "slow")]
    assert status == 0, err


def test_an_app_that_cannot_load_stops_the_command(tmp_path):
    app = tmp_path / "app.sx"
    app.write_text("(define (app req) (car '()))\n(app 1)\n")
    r = subprocess.run([sys.executable, "-m", "sx", "serve", str(app), "--port",
                        str(free_port())], env=ENV, capture_output=True, text=True, timeout=WAIT)
    assert r.returncode == 1
    assert f"sx serve: {app}:1:19: error: car: expected a pair, got ()" in r.stderr
    assert "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "sx", "serve", str(tmp_path / "none.sx")],
                       env=ENV, capture_output=True, text=True, timeout=WAIT)
    assert r.returncode == 1 and "no such file" in r.stderr
    r = subprocess.run([sys.executable, "-m", "sx", "serve", str(app), "--workers", "0"],
                       env=ENV, capture_output=True, text=True, timeout=WAIT)
    assert r.returncode == 2 and "expected an integer from 1 to 256" in r.stderr


def test_workers_serve_from_several_processes_sharing_a_database(server, tmp_path):
    app = tmp_path / "pid.sx"
    app.write_text('(db-exec "create table if not exists hits (pid integer)")\n'
                   '(define (app req)\n'
                   '  (db-exec "insert into hits values (?)" (string->number\n'
                   '    (dict-ref (dict-ref req \'query) "n" "0")))\n'
                   '  (make-dict \'body (number->string (dict-ref (car (db-query\n'
                   '    "select count(*) as n from hits")) \'n))))\n')
    s = server(str(app), "--workers", "2", "--db", str(tmp_path / "hits.db"))
    s.ready()
    with httpx.Client(base_url=s.url, timeout=WAIT) as c:
        counts = [int(c.get(f"/?n={i}").text) for i in range(10)]
    # one database file for both workers: every insert is seen
    assert counts[-1] == 11 and counts == sorted(counts)
    status, err = s.stop()
    assert status == 0, err
    assert "2 workers" in err
