"""Repairs for the defects real exports carry: mojibake, stray whitespace, null tokens, cut names.

Each function repairs one value and says whether it changed anything, so an importer can count
every repair in its report instead of fixing data silently.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

# Characters that appear when UTF-8 bytes are decoded as Windows-1252 / Latin-1 ("Ã©", "Â ").
_MOJIBAKE_MARKERS = re.compile("[\u00c2\u00c3\u00e2][\u0080-\u00bf\u2000-\u20ff]")
_SPACES = re.compile(r"[\s\u00a0]+")

# Spellings of "no value" that exporters write instead of an empty field.
NULL_TOKENS = frozenset({"", "None", "NULL", "null", "NaN", "nan", "N/A", "n/a", "#N/A"})


class ExportError(ValueError):
    """An export that cannot be imported as it is; the message says which file, line and why."""


def repair_mojibake(value: str) -> tuple[str, bool]:
    """Undo UTF-8 read as Windows-1252 ("DoubleÂ Overhead" -> "Double Overhead").

    Non-breaking spaces, which the repair typically reveals, become plain spaces.
    """
    if not _MOJIBAKE_MARKERS.search(value):
        return value, False
    for codec in ("cp1252", "latin-1"):
        try:
            repaired = value.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        return _SPACES.sub(" ", repaired), True
    return value, False


def normalise_whitespace(value: str) -> tuple[str, bool]:
    """Trim and collapse inner runs of spaces ("Auckland  " -> "Auckland")."""
    cleaned = _SPACES.sub(" ", value).strip()
    return cleaned, cleaned != value


def is_null_token(value: str) -> bool:
    return value.strip() in NULL_TOKENS


def expand_truncated(value: str, canonical: tuple[str, ...]) -> tuple[str, bool]:
    """A name cut short by a fixed-width export ("Mercedes-B"), expanded when exactly one
    canonical name starts with it; anything else is returned unchanged."""
    if not value or value in canonical:
        return value, False
    matches = [name for name in canonical if name.startswith(value)]
    if len(matches) == 1:
        return matches[0], True
    return value, False


def read_csv_rows(path: Path) -> tuple[list[str], list[str], Iterator[tuple[int, list[str]]]]:
    """The header as written, the header trimmed, and (line number, values) per data row.

    Reads UTF-8 (with or without BOM) and says which line is malformed if a row has the
    wrong number of fields.
    """
    path = Path(path)
    if not path.exists():
        raise ExportError(f"{path}: no such file.")
    handle = path.open("r", encoding="utf-8-sig", newline="")
    reader = csv.reader(handle)
    try:
        raw_header = next(reader)
    except StopIteration:
        handle.close()
        raise ExportError(f"{path}: empty file, expected a header row.") from None
    except UnicodeDecodeError as exc:
        handle.close()
        raise ExportError(f"{path}: line 1 is not UTF-8 ({exc}).") from None
    header = [name.strip() for name in raw_header]

    def rows() -> Iterator[tuple[int, list[str]]]:
        with handle:
            try:
                for values in reader:
                    if not values:
                        continue
                    if len(values) != len(header):
                        raise ExportError(
                            f"{path}: line {reader.line_num} has {len(values)} fields, the header "
                            f"has {len(header)}. Fix the quoting of that line and import again."
                        )
                    yield reader.line_num, values
            except UnicodeDecodeError as exc:
                raise ExportError(
                    f"{path}: line {reader.line_num + 1} is not UTF-8 ({exc})."
                ) from None

    return raw_header, header, rows()


def require_columns(path: Path, header: list[str], expected: list[str]) -> None:
    missing = [c for c in expected if c not in header]
    if missing:
        raise ExportError(
            f"{path}: line 1 (header) lacks column(s) {missing}; found {header}. Is this the "
            "right export?"
        )
