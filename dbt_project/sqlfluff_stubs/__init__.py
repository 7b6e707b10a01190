"""Stand-ins for the namespaced macros (``dbt.*``, ``forecourt.*``) in sqlfluff's jinja templater.

``make lint`` renders the models with sqlfluff's jinja templater (fast, no profile, no
warehouse), which knows neither dbt's cross-database macros nor this project's dispatched ones.
These return SQL of the same shape in DuckDB spelling, so the rendered model parses; dbt never
reads this folder. Unnamespaced project macros (clean_text, latest_per_key, ...) are loaded
from macros/ as they are.
"""
