"""Alert sinks. The JSONL file always receives every alert; webhook and Slack when configured.

A sink that fails is retried with backoff, and its failure is recorded in the delivery result;
it never stops the other sinks or raises into the sensor. Time is bounded twice: each webhook
or Slack attempt has a total deadline (a server that trickles a byte every few seconds is cut
off, not just one slow read), and each delivery, all retries and backoffs included, has
another. Both honour HTTP(S)_PROXY and NO_PROXY (``transport.py``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from serving.alerts.transport import Answer, DeadlineExceeded, post


@dataclass(frozen=True)
class Alert:
    kind: str  # "low_stock" or "check_failed"
    key: str  # what the alert is about, e.g. "D01|Toyota Camry"
    severity: str  # "critical", "low", "error", "warn"
    title: str
    details: dict[str, Any] = field(default_factory=dict)
    created_at: str = field(
        default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Delivery:
    sink: str
    ok: bool
    attempts: int
    error: str | None = None


class Sink(Protocol):
    name: str

    def send(self, alert: Alert) -> None: ...


class JsonlFileSink:
    """Appends one JSON object per line; a reader never sees a half-written alert."""

    name = "file"

    def __init__(self, path: Path):
        self.path = Path(path)

    def send(self, alert: Alert) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(alert.to_json(), default=str) + "\n")


NOT_TRIED = "not tried"


class HttpSink:
    """A sink that POSTs to a URL; non-2xx answers, network errors and deadlines are failures.

    ``timeout_seconds`` bounds each socket read and ``attempt_seconds`` the whole attempt
    (``transport.post``), however slowly the server answers. After a timed-out attempt the URL
    rests for ``cooldown_seconds``: the other alerts of the same sensor tick fail at once,
    recorded, instead of each waiting out its own deadline.
    """

    name = "http"
    takes_deadline = True
    _resting_until: dict[str, float] = {}  # url -> monotonic time; shared by every instance

    def __init__(
        self,
        url: str,
        timeout_seconds: float = 5.0,
        attempt_seconds: float = 10.0,
        cooldown_seconds: float = 60.0,
    ):
        self.url, self.timeout = url, timeout_seconds
        self.attempt_seconds, self.cooldown_seconds = attempt_seconds, cooldown_seconds

    def request(self, alert: Alert) -> tuple[bytes, dict]:
        raise NotImplementedError

    def accept(self, answer: Answer) -> None:
        if not 200 <= answer.status < 300:
            raise RuntimeError(f"{self.url} answered {answer.status} {answer.reason}")

    def send(self, alert: Alert, deadline_seconds: float | None = None) -> None:
        resting = self._resting_until.get(self.url, 0.0) - time.monotonic()
        if resting > 0:
            raise DeadlineExceeded(
                f"{NOT_TRIED}: {self.url} timed out moments ago (resting {resting:.0f} s more)"
            )
        budget = self.attempt_seconds
        if deadline_seconds is not None:
            budget = min(budget, deadline_seconds)
        body, headers = self.request(alert)
        try:
            answer = post(self.url, body, headers, self.timeout, budget)
        except DeadlineExceeded:
            self._resting_until[self.url] = time.monotonic() + self.cooldown_seconds
            raise
        self.accept(answer)


class WebhookSink(HttpSink):
    """POSTs the alert as JSON to any URL."""

    name = "webhook"

    def request(self, alert: Alert) -> tuple[bytes, dict]:
        body = json.dumps(alert.to_json(), default=str).encode()
        return body, {"Content-Type": "application/json", "User-Agent": "forecourt"}


SLACK_API = "https://slack.com/api/chat.postMessage"


class SlackSink(HttpSink):
    """Posts a one-line summary to a channel with Slack's Web API (chat.postMessage).

    Posted through the same bounded transport as the webhook, not slack_sdk, whose client
    only bounds each read: a Slack that trickles must not hold a sensor either. Slack answers
    200 with ``"ok": false`` when it refuses a message (bad token, unknown channel); that is a
    failure too, with Slack's reason."""

    name = "slack"

    def __init__(self, token: str, channel: str, api_url: str = SLACK_API, **bounds):
        super().__init__(api_url, **bounds)
        self.token, self.channel = token, channel

    def request(self, alert: Alert) -> tuple[bytes, dict]:
        body = json.dumps({"channel": self.channel, "text": f"[{alert.severity}] {alert.title}"})
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {self.token}",
            "User-Agent": "forecourt",
        }
        return body.encode(), headers

    def accept(self, answer: Answer) -> None:
        super().accept(answer)
        try:
            reply = json.loads(answer.body)
        except ValueError:
            raise RuntimeError(f"{self.url} answered something other than JSON") from None
        if not reply.get("ok"):
            raise RuntimeError(f"Slack refused the message: {reply.get('error', 'no reason')}")


def _attempt(sink: Sink, alert: Alert, left: float) -> str | None:
    """One try; the error text, or None when the sink took the alert."""
    try:
        if getattr(sink, "takes_deadline", False):
            sink.send(alert, deadline_seconds=left)
        else:
            sink.send(alert)
    except Exception as exc:  # any failure of one sink must not stop the others
        return f"{type(exc).__name__}: {exc}"
    return None


def deliver(
    alert: Alert,
    sinks: list[Sink],
    retries: int = 3,
    backoff_seconds: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    deadline_seconds: float = 20.0,
) -> list[Delivery]:
    """Send to every sink, retrying each with exponential backoff; collect what happened.

    Each sink's delivery (every attempt and backoff) ends within ``deadline_seconds``: a sink
    that ``takes_deadline`` is handed what is left, and no retry starts once it is spent."""
    results = []
    for sink in sinks:
        ends = time.monotonic() + deadline_seconds
        error, attempts = None, 0
        while attempts < retries:
            attempts += 1
            previous, error = error, _attempt(sink, alert, ends - time.monotonic())
            if error is not None and NOT_TRIED in error:
                if previous is not None:  # resting after this very delivery timed out
                    error, attempts = previous, attempts - 1
                break
            if error is None:
                break
            left = ends - time.monotonic()
            if attempts < retries:
                if left <= backoff_seconds * 2 ** (attempts - 1):
                    error += f" (gave up: the {deadline_seconds:g} s delivery deadline passed)"
                    break
                sleep(backoff_seconds * 2 ** (attempts - 1))
        results.append(Delivery(sink.name, error is None, attempts, error))
    return results
