"""Serving mode: SX as a persistent evaluator for other programs (editors,
test runners, guest languages' conformance runners), and SX web
applications over HTTP (http/, `sx serve APP.sx`; lib/host.sx is its SX
side).

    protocol.py   the request and reply lines (reading, checking, writing)
    session.py    a session: one environment answering requests
    interrupt.py  a request's time limit and Ctrl-C (asynchronous, by signals)
    stdio.py      `sx serve --stdio`: one session on stdin/stdout
    tcp.py        `sx serve --listen [HOST:]PORT`: a session per TCP connection

The protocol, its commands and options are described in the README
(Serving: `sx serve`; Serving HTTP: `sx serve APP.sx`).
"""
