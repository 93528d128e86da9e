"""`sx serve --listen [HOST:]PORT`: the line protocol over TCP.

Each connection is a session of its own, with its own environment: clients
(an editor, a test runner with several workers) do not see each other's
definitions, and one's `:reset` or `(exit)` does not end another's work;
the protocol is then exactly that of `--stdio`, on a socket. `(exit n)`
closes its connection; the server goes on until Ctrl-C (status 130).

Requests are evaluated one at a time, on the main thread, whichever
connection they come from: the machine's dynamic state, the current ports
and tier 2's counters belong to the process, and the time limit is a
signal, which only the main thread receives (interrupt.py). Each
connection has a thread that reads its lines and hands them to the main
thread one by one (the next line is read once the reply is written); the
main thread writes the replies.

HOST defaults to 127.0.0.1; any other address is served as asked, with a
warning on stderr, since whoever can connect can run any code as this user.
"""

from __future__ import annotations

import ipaddress
import queue
import socket
import socketserver
import threading

from ..report import interrupted, say
from . import protocol
from .interrupt import critical
from .session import EndSession, Session

DEFAULT_HOST = "127.0.0.1"


def parse_address(text: str) -> tuple[str, int]:
    """(host, port) from `HOST:PORT`, `[IPV6]:PORT` or `PORT`; ValueError
    saying what is wrong."""
    host, sep, port = text.rpartition(":")
    if not sep:
        host = DEFAULT_HOST
    elif host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise ValueError(f"{text!r}: an IPv6 address is written in brackets: [::1]:PORT")
    if not host:
        host = DEFAULT_HOST
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"{text!r}: expected [HOST:]PORT with PORT from 0 to 65535")
    return host, int(port)


class Connection:
    """A client: its session (made by the main thread at its first
    request) and the socket's writing end."""

    def __init__(self, wfile) -> None:
        self.wfile = wfile
        self.session = None
        self.open = True

    @critical       # a line is written whole, or the protocol breaks
    def send(self, line: str) -> None:
        self.wfile.write(protocol.wire(line))


class Job:
    """A line for the main thread to answer; `done` once it has."""

    def __init__(self, connection: Connection, line) -> None:
        self.connection = connection
        self.line = line
        self.done = threading.Event()


class Handler(socketserver.StreamRequestHandler):
    """The thread of one connection: reads its lines and waits for each reply."""

    def setup(self) -> None:
        super().setup()
        # A request and its reply are small writes in turn: without this,
        # Nagle's algorithm and delayed acknowledgements add ~40 ms to each.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self) -> None:
        connection = Connection(self.wfile)
        while connection.open:
            try:
                line = protocol.read_line(self.rfile)
            except OSError:
                return
            if line is None:
                return
            job = Job(connection, line)
            self.server.jobs.put(job)
            job.done.wait()


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True          # a connection left open does not keep the process
    allow_reuse_address = True     # a restarted server can take its port again at once

    def __init__(self, address, family) -> None:
        self.address_family = family
        self.jobs: queue.Queue = queue.Queue()
        super().__init__(address, Handler)


def serve(address: tuple[str, int], new_runtime, interrupts, debug: bool) -> int:
    """Serve until Ctrl-C; the exit status. `new_runtime()` makes each
    connection's runtime."""
    host, port = address
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        server = Server((host, port), family)
    except OSError as e:
        say(f"sx serve: cannot listen on {host}:{port}: {e.strerror or e}")
        return 1
    bound = server.server_address
    shown = f"[{bound[0]}]:{bound[1]}" if family == socket.AF_INET6 else f"{bound[0]}:{bound[1]}"
    say(f"sx serve: listening on {shown} (the line protocol; a session per connection)")
    if not ipaddress.ip_address(bound[0]).is_loopback:
        say(f"sx serve: warning: {bound[0]} is not a loopback address: whoever can connect "
            "to it can run any code as this user")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        while True:
            answer(server.jobs.get(), new_runtime, interrupts, debug)
    except KeyboardInterrupt:
        return interrupted()
    finally:
        server.shutdown()
        server.server_close()


def answer(job: Job, new_runtime, interrupts, debug: bool) -> None:
    """Answer a job's line, on the main thread."""
    connection = job.connection
    try:
        if connection.session is None:
            connection.session = Session(new_runtime(), interrupts, connection.send, debug)
        connection.session.handle(job.line)
    except EndSession:
        connection.open = False
    except OSError:          # the client went away: its session ends with it
        connection.open = False
    finally:
        job.done.set()
