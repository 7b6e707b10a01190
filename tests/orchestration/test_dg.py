"""`dg`, Dagster's project CLI, finds the Definitions through [tool.dg] in pyproject.toml."""

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_dg_check_defs_loads_the_definitions(forecourt_home):
    venv = Path(sys.executable).parent.parent
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dg")), "check", "defs"],
        cwd=REPO_ROOT,
        env={**os.environ, "VIRTUAL_ENV": str(venv)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All definitions loaded successfully." in result.stdout + result.stderr
