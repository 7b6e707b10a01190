"""The KPI dashboard: one self-contained HTML page built from the serving copy.

Data (as JSON), script and styles are inlined, so the page opens from disk, offline, and its
Content-Security-Policy forbids any request. ``build_dashboard`` writes it atomically.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from serving import connect_safe
from serving.dashboard.data import dashboard_data

ASSETS = Path(__file__).parent


def render_page(data: dict) -> str:
    """The page with its styles, script and data inlined."""
    # "</" inside a script element would end it early; "<\/" means the same to JSON.parse.
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    page = (ASSETS / "page.html").read_text(encoding="utf-8")
    return (
        page.replace("/*__CSS__*/", (ASSETS / "page.css").read_text(encoding="utf-8"))
        .replace("/*__JS__*/", (ASSETS / "page.js").read_text(encoding="utf-8"))
        .replace("__DATA__", payload)
    )


def build_dashboard(serving_copy: Path, out: Path) -> dict:
    """Write the dashboard for a serving copy to ``out``; returns the embedded data."""
    with connect_safe(serving_copy) as conn:
        data = dashboard_data(conn)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.write_text(render_page(data), encoding="utf-8")
    os.replace(tmp, out)
    return data
