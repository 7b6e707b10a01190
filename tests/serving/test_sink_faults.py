"""Alert sinks against hostile networks: a Slack that trickles, and the proxies an operator sets.

The Slack sink used to be bounded only by its client's per-read timeout (a server answering a
byte every few seconds held it for ever), and the webhook ignored HTTP(S)_PROXY and NO_PROXY.
Real servers on 127.0.0.1 throughout: a trickler, a forwarding proxy that also tunnels
CONNECT, and a TLS endpoint with a certificate made for the test.
"""

from __future__ import annotations

import base64
import json
import select
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from serving.alerts.sinks import Alert, SlackSink, WebhookSink, deliver
from serving.alerts.transport import proxy_for

ALERT = Alert("low_stock", "D01|Toyota Camry", "critical", "D01 Toyota Camry: 0 on hand")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "no_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def serve(handler, context: ssl.SSLContext | None = None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Destination(Quiet):
    """Records each POST and answers as Slack does when it takes a message."""

    received: list = []

    def do_POST(self):  # noqa: N802 (the http.server API)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, dict(self.headers), json.loads(body)))
        answer = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


class SlowSlack(Quiet):
    """Takes the message, then answers one byte every 0.3 s for as long as the client listens."""

    stop = threading.Event()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        answer = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-Slow: " + b"." * 10_000
        for byte in answer:
            if type(self).stop.wait(0.3):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return


class Proxy(Quiet):
    """A forward proxy: absolute-URI requests are relayed, CONNECT opens a byte tunnel."""

    seen: list = []

    def do_POST(self):  # noqa: N802
        import http.client
        import urllib.parse

        type(self).seen.append(("POST", self.path, self.headers.get("Proxy-Authorization")))
        target = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=5)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-authorization"}
        upstream.request("POST", target.path, body, headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_CONNECT(self):  # noqa: N802
        type(self).seen.append(("CONNECT", self.path, self.headers.get("Proxy-Authorization")))
        host, port = self.path.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)), timeout=5)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        sockets = [self.connection, upstream]
        while True:
            readable, _, _ = select.select(sockets, [], [], 5)
            if not readable:
                break
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    upstream.close()
                    return
                (upstream if sock is self.connection else self.connection).sendall(data)


@pytest.fixture
def destination():
    handler = type("D", (Destination,), {"received": []})
    server = serve(handler)
    yield handler, server.server_port
    server.shutdown()


@pytest.fixture
def proxy():
    handler = type("P", (Proxy,), {"seen": []})
    server = serve(handler)
    yield handler, server.server_port
    server.shutdown()


def test_a_trickling_slack_is_cut_off_at_the_deadline_and_recorded():
    handler = type("S", (SlowSlack,), {"stop": threading.Event()})
    server = serve(handler)
    url = f"http://127.0.0.1:{server.server_port}/api/chat.postMessage"
    sink = SlackSink("xoxb-test", "#alerts", url, timeout_seconds=5.0, attempt_seconds=1.0)
    started = time.monotonic()
    try:
        first = deliver(ALERT, [sink], retries=3, backoff_seconds=0.01, deadline_seconds=2.5)
        second = deliver(ALERT, [sink], retries=3, backoff_seconds=0.01, deadline_seconds=2.5)
    finally:
        handler.stop.set()
        server.shutdown()
    # before: slack_sdk's 30 s read timeout restarted with every byte of a 50-minute answer
    assert time.monotonic() - started < 6
    assert not first[0].ok and "within 1 s" in first[0].error
    assert not second[0].ok and "not tried" in second[0].error  # the URL rests after a timeout


def test_slack_refusing_a_message_is_a_failure_with_its_reason(destination):
    class Refuses(Destination):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            answer = b'{"ok": false, "error": "channel_not_found"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = serve(Refuses)
    sink = SlackSink("xoxb-t", "#nowhere", f"http://127.0.0.1:{server.server_port}/api/x")
    (result,) = deliver(ALERT, [sink], retries=1)
    server.shutdown()
    assert not result.ok and "channel_not_found" in result.error


def test_slack_posts_the_alert_with_its_token(destination):
    handler, port = destination
    sink = SlackSink("xoxb-secret", "#alerts", f"http://127.0.0.1:{port}/api/chat.postMessage")
    (result,) = deliver(ALERT, [sink], retries=1)
    assert result.ok
    ((path, headers, body),) = handler.received
    assert path == "/api/chat.postMessage" and headers["Authorization"] == "Bearer xoxb-secret"
    assert body == {"channel": "#alerts", "text": "[critical] D01 Toyota Camry: 0 on hand"}


def test_an_http_webhook_goes_through_http_proxy_with_an_absolute_uri(
    destination, proxy, monkeypatch
):
    (received, port), (seen, proxy_port) = destination, proxy
    monkeypatch.setenv("HTTP_PROXY", f"http://alice:s%40cret@127.0.0.1:{proxy_port}")
    (result,) = deliver(ALERT, [WebhookSink(f"http://127.0.0.1:{port}/hook?x=1")], retries=1)
    assert result.ok, result.error
    ((method, target, auth),) = seen.seen
    assert (method, target) == ("POST", f"http://127.0.0.1:{port}/hook?x=1")
    assert base64.b64decode(auth.split()[1]) == b"alice:s@cret"
    assert received.received[0][2]["key"] == "D01|Toyota Camry"  # relayed, whole


def test_no_proxy_sends_the_webhook_directly(destination, proxy, monkeypatch):
    (received, port), (seen, proxy_port) = destination, proxy
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy_port}")
    monkeypatch.setenv("no_proxy", "example.org,127.0.0.1")
    (result,) = deliver(ALERT, [WebhookSink(f"http://127.0.0.1:{port}/hook")], retries=1)
    assert result.ok and seen.seen == [] and len(received.received) == 1


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


def test_an_https_webhook_tunnels_through_https_proxy_with_connect(certificate, proxy, monkeypatch):
    key, cert = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    handler = type("D", (Destination,), {"received": []})
    server = serve(handler, context)
    seen, proxy_port = proxy
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts the test's certificate
    monkeypatch.setenv("HTTPS_PROXY", f"127.0.0.1:{proxy_port}")  # no scheme: http:// assumed
    url = f"https://localhost:{server.server_port}/hook"
    (result,) = deliver(ALERT, [WebhookSink(url)], retries=1)
    server.shutdown()
    assert result.ok, result.error
    assert [s[:2] for s in seen.seen] == [("CONNECT", f"localhost:{server.server_port}")]
    assert handler.received[0][0] == "/hook"  # TLS end to end: only the destination saw it


def test_a_proxy_that_refuses_the_tunnel_is_named_in_the_failure(proxy, monkeypatch):
    class Refuses(Proxy):
        def do_CONNECT(self):  # noqa: N802
            self.send_error(403, "Forbidden by policy")

    server = serve(Refuses)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{server.server_port}")
    (result,) = deliver(ALERT, [WebhookSink("https://hooks.example.com/x")], retries=1)
    server.shutdown()
    assert not result.ok and "proxy refused" in result.error and "403" in result.error


def test_proxy_for_reads_the_environment_as_curl_does(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", ".internal,localhost")
    assert proxy_for("https://hooks.slack.com/x") == "http://proxy.corp:3128"
    assert proxy_for("https://alerts.internal/x") is None
    assert proxy_for("http://hooks.slack.com/x") is None  # no HTTP_PROXY


def test_a_resolver_that_hangs_is_cut_off_at_the_attempt_deadline(destination, monkeypatch):
    """getaddrinfo blocks in C where no socket timeout reaches: a dead DNS server held a
    sensor for the resolver's own timeouts before the lookup got its own deadline."""
    _, port = destination
    release = threading.Event()
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host == "hooks.dead-dns.example":
            release.wait(30)
            raise socket.gaierror("resolver gave up")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    sink = WebhookSink(f"http://hooks.dead-dns.example:{port}/hook", attempt_seconds=1.0)
    started = time.monotonic()
    try:
        (result,) = deliver(ALERT, [sink], retries=1, deadline_seconds=5)
    finally:
        release.set()
    assert time.monotonic() - started < 3
    assert not result.ok and "resolving hooks.dead-dns.example took longer than" in result.error

    # a name that resolves goes through the same bounded lookup and is delivered
    (result,) = deliver(ALERT, [WebhookSink(f"http://localhost:{port}/hook")], retries=1)
    assert result.ok, result.error
