"""Loading the Dagster Definitions: with the prebuilt dbt manifest against `dbt parse` + load.

Each side is a fresh process that ends with the Definitions loaded and every job and the asset
graph resolved, as a code server does. The parse side runs `dbt parse` into a temporary target
folder (cold: no partial-parse state, as in a fresh container; warm: with the state an earlier,
untimed parse left there, as `dagster dev` with `prepare_if_dev()` would have), then loads the
same Definitions. It never writes dbt_project/target, which other processes read.

A third side imports dagster and dagster_dbt and nothing else: the floor under any load, which
bounds the ratio whatever Forecourt's own modules do.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import REPO_ROOT, best_of, ratio, run_task

DBT_DIR = REPO_ROOT / "dbt_project"


def _dbt_parse(target: Path) -> None:
    subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "parse", "--quiet", "--project-dir",
         str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--target-path", str(target)],
        cwd=DBT_DIR, check=True, capture_output=True,
    )


def load(parse: str = "none", target_path: str | None = None) -> dict:
    """Harness task: optionally parse dbt (`cold` or `warm`), then load the Definitions."""
    if parse != "none":
        folder = Path(target_path)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        if parse == "warm":
            # dbt throws away state saved under another profile, and the profile reads
            # FORECOURT_WAREHOUSE (a temporary path here), so the project's partial_parse.msgpack
            # would never be reused: an untimed parse in this environment leaves usable state.
            _dbt_parse(folder)
    started = time.perf_counter()
    parse_seconds = 0.0
    if parse != "none":
        _dbt_parse(folder)
        parse_seconds = time.perf_counter() - started
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    jobs = defs.resolve_all_job_defs()
    return {"seconds": round(time.perf_counter() - started, 3),
            "parse_seconds": round(parse_seconds, 3),
            "assets": len(list(graph.asset_nodes)), "jobs": len(jobs)}


def imports_only() -> dict:
    """Harness task: import dagster and dagster_dbt, as every load must, and stop there."""
    started = time.perf_counter()
    import dagster  # noqa: F401
    import dagster_dbt  # noqa: F401

    return {"seconds": round(time.perf_counter() - started, 3)}


def run(workdir: Path, repeats: int, log=print) -> dict:
    """Best of `repeats` interleaved fresh-process loads of each kind, and the ratios."""
    from orchestration.instance import ensure_manifest

    ensure_manifest()
    target = str(workdir / "dbt_parse_target")
    best = best_of({
        "manifest": lambda: run_task("bench.definitions_load:load"),
        "parse_cold": lambda: run_task("bench.definitions_load:load", parse="cold",
                                       target_path=target),
        "parse_warm": lambda: run_task("bench.definitions_load:load", parse="warm",
                                       target_path=target),
        "imports_only": lambda: run_task("bench.definitions_load:imports_only"),
    }, repeats)
    imports = best["imports_only"]["seconds"]
    out = {
        "sides": best,
        "ratio_vs_cold_parse": ratio(best["manifest"]["seconds"], best["parse_cold"]["seconds"]),
        "ratio_vs_warm_parse": ratio(best["manifest"]["seconds"], best["parse_warm"]["seconds"]),
        # The best any Definitions could do: both sides reduced to the imports after the parse.
        **{f"floor_ratio_vs_{kind}_parse": ratio(imports, best[f"parse_{kind}"]["parse_seconds"]
                                                 + imports) for kind in ("cold", "warm")},
    }
    log(f"  manifest {best['manifest']['seconds']:.1f} s, dbt parse + load "
        f"{best['parse_cold']['seconds']:.1f} s cold / {best['parse_warm']['seconds']:.1f} s warm"
        f" -> {out['ratio_vs_cold_parse']} / {out['ratio_vs_warm_parse']}; importing dagster and"
        f" dagster_dbt alone {imports:.1f} s -> floor"
        f" {out['floor_ratio_vs_cold_parse']} / {out['floor_ratio_vs_warm_parse']}")
    return out
