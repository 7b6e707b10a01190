"""Forecourt's benchmarks: each measurement side by side with a baseline, reported as ratios.

`make bench-small` runs them all on small data and writes bench/results_small.json and .md;
`make bench` runs the full profile (a large group) into bench/results.json and .md. Every timed
side runs in a fresh subprocess (bench.harness), so its peak memory is its own and setup work is
never timed.
"""
