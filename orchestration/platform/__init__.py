"""The few places Forecourt reaches into Dagster's and dagster-dbt's private internals.

Each hook exists for speed or for a behaviour Dagster lacks, and each is guarded by a fast test
(``tests/orchestration/platform/test_private_hooks.py``) that asserts the private names and
signatures it relies on, so an upgrade that changes them fails one named test instead of every
home:

- ``event_log.PooledSqliteEventLogStorage`` keeps Dagster's SQLite event-log files open.
  ``FORECOURT_STOCK_EVENT_LOG=1`` turns it off: the home uses Dagster's stock event log (same
  folder, same files), the way out while an upgrade is checked.
- ``dbt_cli.ForecourtDbtCliResource`` skips ``dbt --version`` and the in-process dbt adapter.
- ``interrupts.stop_waiting_on_signals`` lets Ctrl-C and SIGTERM end an in-process run that
  waits for a pool slot (Dagster only looks at a captured signal when a step starts).
- ``dbt_selection.default_selection_from_nodes`` answers ``@dbt_assets``' default selection
  from the manifest's nodes instead of dbt's graph selector (guarded by
  ``tests/orchestration/platform/test_dbt_selection.py``).
"""
