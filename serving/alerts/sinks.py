"""Alert sinks. The JSONL file always receives every alert; webhook and Slack when configured.

A sink that fails is retried with backoff, and its failure is recorded in the delivery result;
it never stops the other sinks or raises into the sensor.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol


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


class WebhookSink:
    """POSTs the alert as JSON; non-2xx answers and network errors count as failures."""

    name = "webhook"

    def __init__(self, url: str, timeout_seconds: float = 5.0):
        self.url, self.timeout = url, timeout_seconds

    def send(self, alert: Alert) -> None:
        # Imported here: the Definitions import this module, and most homes have no webhook.
        import requests

        response = requests.post(self.url, json=alert.to_json(), timeout=self.timeout)
        response.raise_for_status()


class SlackSink:
    """Posts a one-line summary with Slack's own client (slack_sdk, which dagster-slack wraps)."""

    name = "slack"

    def __init__(self, token: str, channel: str):
        self.token, self.channel = token, channel

    def send(self, alert: Alert) -> None:
        from slack_sdk import WebClient

        client = WebClient(token=self.token)
        client.chat_postMessage(channel=self.channel, text=f"[{alert.severity}] {alert.title}")


def deliver(
    alert: Alert,
    sinks: list[Sink],
    retries: int = 3,
    backoff_seconds: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    """Send to every sink, retrying each with exponential backoff; collect what happened."""
    results = []
    for sink in sinks:
        error = None
        for attempt in range(1, retries + 1):
            try:
                sink.send(alert)
                results.append(Delivery(sink.name, True, attempt))
                break
            except Exception as exc:  # any failure of one sink must not stop the others
                error = f"{type(exc).__name__}: {exc}"
                if attempt < retries:
                    sleep(backoff_seconds * 2 ** (attempt - 1))
        else:
            results.append(Delivery(sink.name, False, retries, error))
    return results
