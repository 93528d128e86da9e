"""Measure `sx serve` over HTTP on loopback, tiers side by side.

    python bench/serve.py                  # latency, throughput, first request (~1 min)
    python bench/serve.py --load 16 20     # a bounded load test: 16 clients for 20 s
    python bench/serve.py --load 16 20 --tiers starlette   # the same on the peer
    options: --app FILE (default bench/http/app.sx)  --routes /hello,/page,/db
             --tiers auto,cek  --requests N (warm latency samples per route)
             --seconds S (each throughput run)  --no-peer

Each server is a subprocess (`sx serve APP --port P --tier T`) on a free
127.0.0.1 port; the peer is bench/http/hello_starlette.py on the same uvicorn,
for the hello route's ratio. The client is plain asyncio sockets speaking
HTTP/1.1 with keep-alive (a client library would cost more than the route),
and every response is checked: its status 200 and the body the first one
had. Figures:

- first request: from the port accepting connections to the first answer
  of each route (the JIT has compiled nothing yet), and the start time;
- warm latency per route: p50 and p99 of --requests sequential requests,
  after as many to warm up;
- requests/s per route at concurrency 1 and 16 (16 connections), for
  --seconds each;
- --load N M: N clients for M seconds on every route in turn (twice),
  errors counted, the server's RSS (from /proc) after --warm seconds of
  the same load, halfway and at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HTTP = os.path.join(ROOT, "bench", "http")
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process on a free port: `sx serve` under a tier, or the peer."""

    def __init__(self, label: str, argv: list[str], cwd: str = ROOT) -> None:
        self.label = label
        self.port = free_port()
        env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src"))
        env.pop("SX_TIER", None)
        self.started = time.perf_counter()
        # its stderr goes to a file, not a pipe: an app's access log would
        # fill a pipe nobody reads and block the server
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(argv + ["--port", str(self.port)], cwd=cwd, env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.log, text=True)
        self.ready_after = self._wait()

    def _wait(self) -> float:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"{self.label}: the server exited: {self.log.read()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.01)
        self.stop()
        raise SystemExit(f"{self.label}: the server did not start")

    def rss_kib(self) -> int:
        """The resident memory of the server (its workers: one here)."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def sx_server(app: str, tier: str) -> Server:
    return Server(f"sx {tier}", [PYTHON, "-m", "sx", "serve", app, "--tier", tier])


def peer_server() -> Server:
    return Server("starlette", [PYTHON, "-m", "uvicorn", "hello_starlette:app", "--log-level",
                                "warning", "--no-access-log"], cwd=HTTP)


# ---- the client: HTTP/1.1 with keep-alive on asyncio streams ---------------------------

class BadAnswer(Exception):
    pass


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def get(self, path: str) -> tuple[int, bytes]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
        body = await self.reader.readexactly(length)
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class Checker:
    """Every answer must be 200 with the body the route gave first."""

    def __init__(self) -> None:
        self.expected: dict[str, bytes] = {}
        self.errors = 0
        self.first_error = None

    def check(self, path: str, status: int, body: bytes) -> None:
        want = self.expected.setdefault(path, body)
        if status != 200 or body != want:
            self.errors += 1
            self.first_error = self.first_error or f"{path}: {status} {body[:80]!r}"


async def first_requests(port: int, routes: list[str], checker: Checker) -> dict[str, float]:
    c = Connection(port)
    await c.open()
    out = {}
    for path in routes:
        t = time.perf_counter()
        status, body = await c.get(path)
        out[path] = time.perf_counter() - t
        checker.check(path, status, body)
    c.close()
    return out


async def latencies(port: int, path: str, n: int, checker: Checker) -> list[float]:
    c = Connection(port)
    await c.open()
    for _ in range(n):                       # warm up
        checker.check(path, *await c.get(path))
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        status, body = await c.get(path)
        samples.append(time.perf_counter() - t)
        checker.check(path, status, body)
    c.close()
    return samples


async def throughput(port: int, path: str, clients: int, seconds: float,
                     checker: Checker) -> float:
    """Requests answered per second by `clients` connections looping for `seconds`."""
    done = 0
    end = time.perf_counter() + seconds

    async def client():
        nonlocal done
        c = Connection(port)
        await c.open()
        try:
            while time.perf_counter() < end:
                try:
                    status, body = await c.get(path)
                except (OSError, asyncio.IncompleteReadError, ValueError) as e:
                    checker.errors += 1
                    checker.first_error = checker.first_error or f"{path}: {e!r}"
                    c.close()
                    c = Connection(port)
                    await c.open()
                    continue
                checker.check(path, status, body)
                done += 1
        finally:
            c.close()
    start = time.perf_counter()
    await asyncio.gather(*[client() for _ in range(clients)])
    return done / (time.perf_counter() - start)


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * p))]


def ms(x: float) -> str:
    return f"{x * 1000:.2f}"


# ---- the runs -----------------------------------------------------------------------

def measure(args) -> int:
    routes = args.routes.split(",")
    tiers = args.tiers.split(",")
    checker = Checker()
    servers = {}
    try:
        # started one at a time, so each start is timed alone
        for tier in tiers:
            servers[tier] = sx_server(args.app, tier)
            servers[tier].first = asyncio.run(first_requests(servers[tier].port, routes, checker))
        if not args.no_peer:
            servers["starlette"] = peer_server()
            servers["starlette"].first = asyncio.run(
                first_requests(servers["starlette"].port, ["/hello"], checker))
        rows = []
        for label, server in servers.items():
            for path in (routes if label != "starlette" else ["/hello"]):
                lat = asyncio.run(latencies(server.port, path, args.requests, checker))
                rps1 = asyncio.run(throughput(server.port, path, 1, args.seconds, checker))
                rps16 = asyncio.run(throughput(server.port, path, 16, args.seconds, checker))
                rows.append((label, path, server.first[path], pct(lat, 0.5), pct(lat, 0.99),
                             rps1, rps16))
    finally:
        for s in servers.values():
            s.stop()
    print(f"sx serve, {args.app} ({args.requests} warm requests per route; "
          f"{args.seconds:g} s per throughput run)")
    print(f"{'server':10} {'route':8} {'first ms':>9} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'req/s c=1':>10} {'req/s c=16':>11}")
    for label, path, first, p50, p99, r1, r16 in rows:
        print(f"{label:10} {path:8} {ms(first):>9} {ms(p50):>8} {ms(p99):>8} {r1:>10.0f} "
              f"{r16:>11.0f}")
    for label, server in servers.items():
        print(f"{label}: ready {server.ready_after:.2f} s after start")
    by = {(label, path): (p50, r1) for label, path, _, p50, _, r1, _ in rows}
    if "starlette" in servers and ("auto", "/hello") in by:
        print(f"hello p50, sx auto / starlette: "
              f"{by[('auto', '/hello')][0] / by[('starlette', '/hello')][0]:.2f}x")
    if ("auto", routes[0]) in by and ("cek", routes[0]) in by:
        for path in routes:
            print(f"{path} p50, cek / auto: {by[('cek', path)][0] / by[('auto', path)][0]:.1f}x")
    print(f"errors: {checker.errors}" + (f" (first: {checker.first_error})"
                                          if checker.errors else ""))
    return 1 if checker.errors else 0


def load(args) -> int:
    clients, seconds = args.load
    routes = args.routes.split(",")
    checker = Checker()
    tier = args.tiers.split(",")[0]
    if tier == "starlette":          # the peer under the same load (its one route)
        server, routes = peer_server(), ["/hello"]
    else:
        server = sx_server(args.app, tier)
    try:
        asyncio.run(first_requests(server.port, routes, checker))
        # warm, at the same concurrency, so that RSS "before" holds the
        # compiled code and what serving N connections at once takes
        for path in routes:
            asyncio.run(throughput(server.port, path, clients, args.warm / len(routes), checker))
        before = server.rss_kib()
        total = 0.0
        per = seconds / len(routes)
        samples = []
        for rnd in range(2):
            for path in routes:
                rate = asyncio.run(throughput(server.port, path, clients, per / 2, checker))
                total += rate * per / 2
            samples.append(server.rss_kib())
        after = samples[-1]
    finally:
        server.stop()
    growth = (after - before) / before * 100 if before else 0.0
    print(f"load test: {clients} clients for {seconds:g} s on {', '.join(routes)} "
          f"({server.label})")
    print(f"requests: {total:.0f}, errors: {checker.errors}"
          + (f" (first: {checker.first_error})" if checker.errors else ""))
    print(f"RSS: {before / 1024:.1f} MiB before, {samples[0] / 1024:.1f} MiB halfway, "
          f"{after / 1024:.1f} MiB after ({growth:+.1f}%)")
    return 1 if checker.errors else 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--app", default=os.path.join(HTTP, "app.sx"))
    p.add_argument("--routes", default="/hello,/page,/db")
    p.add_argument("--tiers", default="auto,cek")
    p.add_argument("--requests", type=int, default=500)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--no-peer", action="store_true")
    p.add_argument("--load", nargs=2, type=float, metavar=("CLIENTS", "SECONDS"))
    p.add_argument("--warm", type=float, default=12.0,
                   help="--load: seconds of load before RSS 'before' is read")
    args = p.parse_args(argv)
    if args.load:
        args.load = (int(args.load[0]), args.load[1])
        return load(args)
    return measure(args)


if __name__ == "__main__":
    sys.exit(main())
