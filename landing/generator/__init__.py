"""Demo data for Forecourt: a simulated dealer group, written as landing-zone files.

``generate(Path("landing"))`` writes two years of eight rooftops from 2024-01-01 with seed 42;
see :func:`generate` for the options. The simulation keeps only live state and writes each day
as it goes, so long runs of many rooftops stream in constant memory.
"""

from .api import GenerationSummary, generate

__all__ = ["GenerationSummary", "generate"]
