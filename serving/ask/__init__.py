"""Plain-language questions over a serving copy, answered without any external service.

``forecourt ask "top 5 models sold in Austin last quarter"`` parses the question into an
Intent (metric, grouping, filters, time window relative to the data's last day, top-N,
comparison or trend) using only words and values the serving copy knows, builds SQL from
whitelisted fragments with bound parameters, runs it on a read-only, safe-mode connection,
and prints the table, the SQL and a confidence score. Answers are cached per data version.
"""

from serving.ask.engine import THRESHOLD, Answer, ask
from serving.ask.present import format_answer

__all__ = ["THRESHOLD", "Answer", "ask", "format_answer"]
