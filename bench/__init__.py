"""Forecourt's benchmarks: each measurement side by side with a baseline, reported as ratios.

`python -m bench.run --profile small` (or `make bench-small`) runs them all and writes
bench/results.json and bench/results.md. Every timed side runs in a fresh subprocess
(bench.harness), so its peak memory is its own and setup work is never timed.
"""
