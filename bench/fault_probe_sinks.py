"""Sink hangs for the fault probe: the alert sinks, configured as the sensors configure them
(``AlertSinksResource`` defaults), against local servers that misbehave.

A hang is a delivery that takes over 30 s; every failure must be a line in deliveries.jsonl.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG_SECONDS = 30.0


class _Quiet(BaseHTTPRequestHandler):
    stop = threading.Event()
    mode = "trickle"

    def log_message(self, *args):
        pass

    def do_CONNECT(self):  # noqa: N802 (a proxy that trickles its answer to CONNECT)
        self._answer()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self):
        if self.mode == "error":
            self.send_error(500, "Internal Server Error")
            return
        if self.mode == "silent":  # reads the request, never answers
            type(self).stop.wait(600)
            return
        answer = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Slow: " + b"." * 10_000
        for byte in answer:
            if type(self).stop.wait(1.0):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return


@contextmanager
def _server(mode: str):
    handler = type("H", (_Quiet,), {"stop": threading.Event(), "mode": mode})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        handler.stop.set()
        server.shutdown()
        server.server_close()


@contextmanager
def _backlog_only():
    """A socket that listens and never accepts: the TCP connect succeeds, nothing else."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@contextmanager
def _closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    yield f"http://127.0.0.1:{port}"


@contextmanager
def _fixed(url: str):
    yield url


def _deliver(probe, name: str, home, **options) -> None:
    from orchestration.resources import AlertSinksResource
    from serving.alerts.sinks import Alert

    os.environ["FORECOURT_HOME"] = str(home)
    (home / "alerts").mkdir(parents=True, exist_ok=True)
    resource = AlertSinksResource(**options)
    alerts = [Alert("low_stock", f"D01|probe {name} {i}", "critical", f"probe {i}")
              for i in range(2)]  # fmt: skip
    started = time.monotonic()
    results = [resource.send(a) for a in alerts]  # two alerts, as one sensor tick
    seconds = time.monotonic() - started
    log = [json.loads(line) for line in (home / "alerts" / "deliveries.jsonl").read_text()
           .splitlines()]  # fmt: skip
    failed = [d for r in results for d in r if d.sink != "file" and not d.ok]
    recorded = sum(1 for d in log if d["alert_key"].startswith(f"D01|probe {name} ")
                   and d["sink"] != "file" and not d["ok"])  # fmt: skip
    hang = seconds > HANG_SECONDS
    probe.figures["sink_hangs_over_30s"] = probe.figures.get("sink_hangs_over_30s", 0) + hang
    error = failed[0].error if failed else "delivered"
    note = f"{seconds:.1f} s for 2 alerts; {len(failed)} failed, {recorded} recorded; {error}"
    verdict = "well" if not hang and failed and recorded == len(failed) else "not"
    probe.record("sinks", name, verdict, note, seconds=seconds)


def sinks(probe) -> None:
    home = probe.out / "sinks-home"
    saved = {k: os.environ.get(k) for k in ("FORECOURT_HOME", "HTTPS_PROXY", "HTTP_PROXY")}
    cases = [
        ("webhook trickles a byte a second", lambda: _server("trickle"), "webhook", "/hook"),
        ("webhook reads and never answers", lambda: _server("silent"), "webhook", "/hook"),
        ("webhook never accepts (backlog)", _backlog_only, "webhook", "/hook"),
        ("webhook answers 500", lambda: _server("error"), "webhook", "/hook"),
        ("webhook port closed", _closed_port, "webhook", "/hook"),
        ("webhook unroutable address", lambda: _fixed("http://10.255.255.1:81"), "webhook", "/"),
        ("webhook unknown host", lambda: _fixed("http://forecourt.invalid"), "webhook", "/"),
        ("Slack trickles", lambda: _server("trickle"), "slack", "/api/chat.postMessage"),
        ("Slack never answers", lambda: _server("silent"), "slack", "/api/chat.postMessage"),
        ("HTTPS proxy trickles its CONNECT answer", lambda: _server("trickle"), "proxy", ""),
    ]  # fmt: skip
    try:
        for name, server, kind, path in cases:
            with server() as url:
                if kind == "webhook":
                    _deliver(probe, name, home, webhook_url=url + path)
                elif kind == "slack":
                    _deliver(probe, name, home, slack_token="xoxb-probe", slack_api_url=url + path)
                else:
                    os.environ["HTTPS_PROXY"] = url
                    _deliver(probe, name, home, webhook_url="https://hooks.example.com/x")
                    os.environ.pop("HTTPS_PROXY")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
