"""One run of a tiny asset graph against a home, in its own process (DuckDB locks per process):
`writer` writes the warehouse in the `warehouse` pool and holds its connection until the reader
has run; `reader` reads a serving copy and is in no pool. Used by test_pools.py."""

import json
import sys
import time

import dagster as dg

from landing.home import ForecourtHome
from orchestration.instance import prepare_home
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

HOLD_LIMIT_SECONDS = 120


def _record(name: str, **fields) -> None:
    folder = ForecourtHome.from_env().root / "pool_log"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(fields))


@dg.asset(pool=WAREHOUSE_POOL)
def writer(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> None:
    reader_done = ForecourtHome.from_env().root / "pool_log" / "reader.json"
    with warehouse.connect() as conn:
        start = time.time()
        conn.execute("create table if not exists writes (run_id varchar, started double)")
        conn.execute("insert into writes values (?, ?)", [context.run.run_id, start])
        deadline = time.monotonic() + HOLD_LIMIT_SECONDS
        while not reader_done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        _record(f"writer-{context.run.run_id}", start=start, end=time.time())


@dg.asset
def reader(context: dg.AssetExecutionContext) -> None:
    import duckdb

    copy = ForecourtHome.from_env().root / "serving" / "copy.duckdb"
    start = time.time()
    with duckdb.connect(str(copy), read_only=True) as conn:
        conn.execute("select 1").fetchone()
    _record("reader", start=start, end=time.time())


def main(which: str) -> int:
    prepare_home()
    result = dg.materialize(
        [writer if which == "writer" else reader],
        # No wait on the lock: two writers at once fail at once instead of taking turns.
        resources={"warehouse": WarehouseResource(lock_timeout_seconds=0)},
        instance=dg.DagsterInstance.get(),
        raise_on_error=False,
    )
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
