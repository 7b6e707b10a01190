"""One HTTP POST with a total deadline, through the proxy the environment names.

The alert sinks (webhook, Slack) post through this one function so both get the same bounds:
``read_timeout`` for each socket read and ``budget`` for the whole exchange. A watchdog shuts
the socket down when the budget is spent, which ends a read blocked on a server that answers
one byte at a time (a socket timeout alone restarts with every byte).

Proxies follow the usual environment variables, as curl and urllib read them: ``HTTP_PROXY``
for http URLs (the request goes to the proxy with the absolute URI), ``HTTPS_PROXY`` for https
URLs (a CONNECT tunnel, TLS to the destination end to end), ``NO_PROXY`` for hosts to reach
directly; credentials in the proxy URL become a ``Proxy-Authorization`` header.

Name resolution is bounded too: ``getaddrinfo`` blocks in C for as long as the resolver likes
(a dead DNS server costs its timeouts times its retries, 10 s and more) and no socket timeout
reaches it, so it runs in a daemon thread that the post stops waiting for when the budget is
spent.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass


class DeadlineExceeded(TimeoutError):
    """The whole attempt (connect, send, every byte of the answer) took longer than allowed."""


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    body: bytes


def proxy_for(url: str) -> str | None:
    """The proxy URL the environment gives for ``url``, or None to connect directly."""
    parts = urllib.parse.urlsplit(url)
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(parts.scheme)
    if not proxy:
        return None
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    if urllib.request.proxy_bypass_environment(netloc, proxies):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def _resolve(host: str, port: int, seconds: float) -> list:
    """``getaddrinfo`` for a TCP connection, or DeadlineExceeded after ``seconds``. A resolver
    still blocked then is left to finish in its daemon thread; nothing waits for it."""
    found: dict = {}

    def lookup() -> None:
        try:
            found["addresses"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            found["error"] = exc

    worker = threading.Thread(target=lookup, name=f"resolve-{host}", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise DeadlineExceeded(f"resolving {host} took longer than {seconds:g} s")
    if "error" in found:
        raise found["error"]
    return found["addresses"]


def _bounded_connector(deadline: float):
    """A stand-in for ``socket.create_connection`` that resolves within what is left of the
    budget, then connects to the addresses found, in the resolver's order."""

    def create_connection(address, timeout=None, source_address=None, *args, **kwargs):
        host, port = address
        addresses = _resolve(host, port, max(deadline - time.monotonic(), 0.01))
        error: OSError | None = None
        for *_, sockaddr in addresses:
            try:
                return socket.create_connection(sockaddr[:2], timeout, source_address)
            except OSError as exc:
                error = exc
        raise error or OSError(f"{host} resolved to no address")

    return create_connection


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str, dict]:
    """The connection to open, the request target and the extra headers, proxy or not."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    https = parts.scheme == "https"
    proxy = proxy_for(url)
    if proxy is None:
        kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
        return kind(parts.hostname, parts.port, timeout=timeout), path, {}
    via = urllib.parse.urlsplit(proxy)
    if via.scheme != "http" or not via.hostname:
        raise ValueError(
            f"proxy {proxy!r} (from the {parts.scheme.upper()}_PROXY variable) is not an "
            "http:// proxy URL; set it to http://host:port"
        )
    auth = {}
    if via.username is not None:
        pair = f"{urllib.parse.unquote(via.username)}:{urllib.parse.unquote(via.password or '')}"
        auth = {"Proxy-Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}
    if https:  # a tunnel: the proxy sees the host name, never the alert
        conn = http.client.HTTPSConnection(
            via.hostname, via.port or 8080, timeout=timeout, context=ssl.create_default_context()
        )
        conn.set_tunnel(parts.hostname, parts.port or 443, headers=auth)
        return conn, path, {}
    conn = http.client.HTTPConnection(via.hostname, via.port or 8080, timeout=timeout)
    return conn, urllib.parse.urlunsplit(parts._replace(fragment="")), auth


def post(url: str, body: bytes, headers: dict, read_timeout: float, budget: float) -> Answer:
    """POST ``body`` and read the whole answer within ``budget`` seconds, or raise
    DeadlineExceeded. Network and protocol errors propagate (OSError, HTTPException)."""
    budget = max(budget, 0.01)
    timeout = min(read_timeout, budget)
    conn, target, extra = _connection(url, timeout)
    # http.client connects through this attribute (to the proxy when there is one); TLS still
    # verifies the original host name, which the connection keeps.
    conn._create_connection = _bounded_connector(time.monotonic() + budget)
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError, ValueError):  # wakes a recv blocked elsewhere
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    watchdog = threading.Timer(budget, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.request("POST", target, body, {**headers, **extra})
        response = conn.getresponse()
        answer = Answer(response.status, response.reason, response.read())
    except DeadlineExceeded:
        raise
    except Exception as exc:
        if expired.is_set():
            raise DeadlineExceeded(f"no complete answer from {url} within {budget:g} s") from None
        if isinstance(exc, TimeoutError):
            raise DeadlineExceeded(f"{url} sent nothing for {timeout:g} s") from None
        if isinstance(exc, OSError) and str(exc).startswith("Tunnel connection failed"):
            raise ConnectionError(f"the proxy refused to reach {url}: {exc}") from None
        raise
    finally:
        watchdog.cancel()
        conn.close()
    if expired.is_set():
        raise DeadlineExceeded(f"no complete answer from {url} within {budget:g} s")
    return answer
