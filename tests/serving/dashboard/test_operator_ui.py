"""The Dagster UI operators use: a real dagster-webserver on the workspace, asked over GraphQL
for the asset graph, and (with chromium) rendered headless with a screenshot.

The graph needs no warehouse: FORECOURT_HOME is an empty temporary folder.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from landing.home import REPO_ROOT
from orchestration.instance import dagster_yaml, ensure_manifest
from serving.dashboard.browser import Chromium, find_chromium

FLOW_GROUPS = {"raw", "staging", "marts", "forecasting", "stocking", "alerts", "serving"}
ASSET_NODES = """{ assetNodes { assetKey { path } groupName description isMaterializable
  owners { ... on TeamAssetOwner { team } ... on UserAssetOwner { email } } kinds } }"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def graphql(url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    ensure_manifest()
    home = tmp_path_factory.mktemp("ui") / "home"
    (home / "dagster").mkdir(parents=True)
    (home / "dagster" / "dagster.yaml").write_text(dagster_yaml())
    env = {
        **os.environ,
        "FORECOURT_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "DAGSTER_DISABLE_TELEMETRY": "true",
    }
    port = _free_port()
    log = open(home / "webserver.log", "w")  # noqa: SIM115 - closed in teardown
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("dagster-webserver")),
            "-w",
            str(REPO_ROOT / "workspace.yaml"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    try:
        while True:
            assert process.poll() is None, (home / "webserver.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "dagster-webserver did not load the workspace"
            try:
                nodes = graphql(url, ASSET_NODES).get("data", {}).get("assetNodes")
                if nodes:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(1)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the webserver and its code server
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_the_ui_serves_the_asset_graph_with_groups_owners_kinds_and_descriptions(webserver):
    nodes = graphql(webserver, ASSET_NODES)["data"]["assetNodes"]
    by_key = {"/".join(n["assetKey"]["path"]): n for n in nodes}
    assert {n["groupName"] for n in nodes} >= FLOW_GROUPS
    materializable = [n for n in nodes if n["isMaterializable"]]
    assert len(materializable) > 40
    for node in materializable:
        name = "/".join(node["assetKey"]["path"])
        assert node["description"], name
        assert node["owners"], name
        assert node["kinds"], name
    assert set(by_key["marts/fct_sales"]["kinds"]) >= {"dbt", "duckdb"}
    assert by_key["serving/forecourt_copy"]["groupName"] == "serving"
    assert by_key["serving/forecourt_copy"]["owners"] == [{"team": "analytics-engineering"}]
    assert "html" in by_key["serving/kpi_dashboard"]["kinds"]


SERVING_GROUP = """{ assetNodes(group: {groupName: "serving",
  repositoryName: "__repository__", repositoryLocationName: "orchestration.definitions"}) {
  assetKey { path } kinds dependencyKeys { path } } }"""


def test_the_ui_renders_the_serving_group_in_a_headless_browser(webserver, tmp_path):
    if find_chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium); no browser test")
    pytest.importorskip(
        "websocket", reason="websocket-client is a dev extra: pip install -e .[dev]"
    )
    image = pytest.importorskip("PIL.Image")
    serving = graphql(webserver, SERVING_GROUP)["data"]["assetNodes"]
    names = {node["assetKey"]["path"][-1] for node in serving}
    assert names == {"forecourt_copy", "kpi_dashboard"}
    upstream = {
        dep["path"][-1]
        for node in serving
        for dep in node["dependencyKeys"]
        if dep["path"][-1] not in names
    }
    with Chromium(width=1400, height=900) as browser:
        browser.open(f"{webserver}/locations/orchestration.definitions/asset-groups/serving")
        browser.wait_until("document.body.innerText.includes('forecourt_copy')", timeout=90)
        browser.wait_until("document.body.innerText.includes('kpi_dashboard')", timeout=60)
        # the first visit shows a "join the community" dialog: dismiss it as a person would
        browser.evaluate(
            "[...document.querySelectorAll('button')].filter(b => b.innerText.trim() === 'Skip')"
            ".forEach(b => b.click())"
        )
        time.sleep(1)
        text = browser.evaluate("document.body.innerText")
        errors = browser.console_errors()
        shot = browser.screenshot(tmp_path / "dagster_ui.png", full_page=False)
    assert not errors, errors
    lines = {line.strip() for line in text.splitlines()}
    assert {"serving", "forecourt_copy", "kpi_dashboard", "DuckDB", "html"} <= lines, text
    # The marts the serving copy is built from are drawn as links into their own groups
    shown_upstream = upstream & lines
    assert len(shown_upstream) >= 3, (sorted(upstream)[:10], text)
    picture = image.open(shot).convert("RGB")
    assert picture.width == 1400 and picture.height > 600  # the viewport, not a fragment
    colours = sorted(picture.getcolors(1 << 20), reverse=True)
    assert len(colours) > 500  # text, nodes and edges, not a blank or error page
    assert colours[0][0] < 0.9 * picture.width * picture.height
