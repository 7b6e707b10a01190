"""File-level checks before any row is read: present, readable, a header the contract knows.

Each fault has one defined outcome. Refused (``LandingFileError`` naming file, line and column;
the load aborts or skips the file, as its ``on_error`` says): a missing due file, a symbolic
link out of the landing folder, a folder where a file belongs, an empty file (0 bytes or only
blank lines, so not even a header), a gzip that will not decompress, a byte neither UTF-8 nor
Windows-1252, a header missing a contract column or naming one twice. Text from the file shows
in an error only as the header that failed, escaped and cut short. Repaired and reported
(``LandingFile.repairs``): another delimiter (``;``, tab, ``|``) when the header splits into the
contract's columns with it, Windows-1252 lines, mojibake, header names differing only in case,
spaces or punctuation, and extra columns (ignored: the contract does not know them). Valid as
they are: a header-only file (zero rows), columns in another order, ``.csv.gz``.
"""

from __future__ import annotations

import csv
import gzip
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from landing.contract import Feed
from landing.ingestion.encoding import UndecodableText, scan_text

DELIMITERS = (",", ";", "\t", "|")


class LandingFileError(Exception):
    """A landing file that cannot be loaded as it is; the message says which file and why.

    ``path``, ``line`` and ``column`` say where, for ``raw.rejects`` when a load skips the file
    (``None`` where the fault has no such place, or the error sums up several files)."""

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.line, self.column = line, column


def shown(text: str, limit: int = 40) -> str:
    """Text from a file as an error may show it: unprintable characters escaped, cut short."""
    escaped = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return escaped if len(escaped) <= limit else escaped[: limit - 1] + "…"


def refuse_outside_link(path: Path, landing_dir: Path) -> None:
    """Refuse a file that is, or lies under, a symbolic link leading out of the landing folder.

    Whoever can drop files could otherwise have the loader read (and echo) any file the
    process may read."""
    if not (path.is_symlink() or path.parent.is_symlink()):
        return
    root = Path(landing_dir).resolve()
    target = path.resolve()
    if target != root and root not in target.parents:
        raise LandingFileError(
            f"{path}: a symbolic link to a file outside the landing folder {root}; refused "
            "and not read. Copy the file itself into the landing folder, or link within it.",
            path,
        )


@dataclass(frozen=True)
class LandingFile:
    path: Path  # the delivered file: what lineage and messages name
    read_path: Path  # what DuckDB reads: the file itself or a repaired UTF-8 copy of it
    columns: tuple[str, ...]  # the contract column at each position ("" = ignored extra column)
    delimiter: str
    checksum_sha256: str
    size_bytes: int
    lines: int
    ends_with_newline: bool
    repairs: tuple[str, ...] = field(default=())
    padded: bool = True  # a value may have a space at either end (encoding._may_be_padded)


def _normalised(name: str) -> str:
    return re.sub(r"[\s\-./]+", "_", name.strip().strip('"').lower()).strip("_")


def _split(header: str, delimiter: str) -> list[str]:
    return [h.strip() for h in next(csv.reader([header], delimiter=delimiter), [])]


def _choose_delimiter(header: str, feed: Feed) -> tuple[str, list[str]]:
    """The delimiter whose split of the header names the most contract columns (',' on a tie)."""
    expected = {_normalised(c) for c in feed.column_names}
    best = ",", _split(header, ",")
    best_overlap = len(expected & {_normalised(f) for f in best[1]})
    for delimiter in DELIMITERS[1:]:
        fields = _split(header, delimiter)
        overlap = len(expected & {_normalised(f) for f in fields})
        if overlap > best_overlap:
            best, best_overlap = (delimiter, fields), overlap
    return best


def map_header(path: Path, header: str, feed: Feed) -> tuple[str, tuple[str, ...], list[str]]:
    """The delimiter, the contract column at each position, and what was repaired to get there."""
    delimiter, fields = _choose_delimiter(header, feed)
    repairs = [f"read with delimiter {delimiter!r} instead of ','"] if delimiter != "," else []
    by_normal = {_normalised(c): c for c in feed.column_names}
    columns, seen, renamed, extra = [], {}, [], []
    for position, name in enumerate(fields, start=1):
        column = name if name in feed.column_names else by_normal.get(_normalised(name), "")
        if column and column in seen:
            raise LandingFileError(
                f"{path}: line 1 (header), column {position}: '{shown(name)}' repeats the column "
                f"at position {seen[column]} ('{column}'). Deliver each column once.",
                path,
                1,
                column,
            )
        if column:
            seen[column] = position
            if column != name:
                renamed.append(f"'{name}' -> '{column}'")
        else:
            extra.append(name)
        columns.append(column)
    missing = [c for c in feed.column_names if c not in seen]
    if missing:
        hint = ""
        if len(missing) == 1 and len(extra) == 1:
            hint = f" Was '{missing[0]}' renamed to '{shown(extra[0])}'?"
        unexpected = ", ".join(f"'{shown(e)}'" for e in extra[:10])
        unexpected += ", …" if len(extra) > 10 else ""
        detail = f"missing column(s) {missing}" + (
            f"; unexpected column(s) [{unexpected}]" if extra else ""
        )
        split = f" (split at {delimiter!r})" if delimiter != "," else ""
        raise LandingFileError(
            f"{path}: line 1 (header){split} does not match the '{feed.name}' contract: "
            f"{detail}.{hint} Expected: {','.join(feed.column_names)}",
            path,
            1,
            missing[0],
        )
    if renamed:
        repairs.append("header names matched ignoring case and spacing: " + ", ".join(renamed))
    if extra:
        repairs.append(f"ignored column(s) not in the contract: {extra}")
    return delimiter, tuple(columns), repairs


def _first_line(path: Path) -> str:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="backslashreplace", newline="") as handle:
        return handle.readline().rstrip("\r\n").lstrip("\ufeff")


def _undecodable(path: Path, exc: UndecodableText, feed: Feed) -> LandingFileError:
    delimiter, header = _choose_delimiter(_first_line(path), feed)
    prefix = exc.line_text[: exc.column - 1]
    position = len(_split(prefix, delimiter)) if prefix else 1
    column = header[position - 1] if 0 < position <= len(header) else f"field {position}"
    column = shown(column)
    return LandingFileError(
        f"{path}: line {exc.line}, column '{column}' (character {exc.column}): byte "
        f"0x{exc.byte:02x} is neither UTF-8 nor Windows-1252, so the text cannot be decoded "
        "without guessing. Re-export the file as UTF-8.",
        path,
        exc.line,
        column,
    )


def inspect_file(
    path: Path, feed: Feed, workdir: Path | None = None, landing_dir: Path | None = None
) -> LandingFile:
    """Check a file and decide how to read it; raise LandingFileError if it cannot be loaded.

    When the text needs repairs, a UTF-8 copy is written to ``workdir`` (a temporary folder the
    caller removes) and read instead; the delivered file is never changed. With ``landing_dir``,
    a symbolic link leading out of it is refused before anything is read.
    """
    if landing_dir is not None:
        refuse_outside_link(path, landing_dir)
    if not path.exists():
        raise LandingFileError(
            f"{path}: missing. The '{feed.name}' feed expects this file "
            f"(cadence {feed.cadence}); deliver it or exclude the day from the run.",
            path,
        )
    if not path.is_file():
        raise LandingFileError(
            f"{path}: not a regular file (a folder?), so it cannot be loaded. Remove it and "
            f"deliver the day's data as a file of that name.",
            path,
        )
    size = path.stat().st_size
    expected_header = ",".join(feed.column_names)
    if size == 0:
        raise LandingFileError(
            f"{path}: empty file (0 bytes), not even a header row; the export or the copy "
            f"failed. Re-deliver the file (a day without {feed.name} is a header-only file: "
            f"{shown(expected_header, 60)}).",
            path,
        )
    try:
        scan = scan_text(path)
    except UndecodableText as exc:
        raise _undecodable(path, exc, feed) from None
    except OSError as exc:
        raise LandingFileError(f"{path}: line 1: the file {exc}. Re-deliver it.", path) from None
    if scan.blank:
        raise LandingFileError(
            f"{path}: line 1: no header row (the file holds only blank lines). "
            f"Expected at least: {expected_header}",
            path,
            1,
        )
    delimiter, columns, repairs = map_header(path, scan.header, feed)
    read_path = path
    if scan.needs_rewrite:
        if workdir is None:
            raise ValueError("a workdir is needed to repair the text of " + str(path))
        # A unique name: files of one load are inspected by several threads at once.
        read_path = Path(workdir) / f"{uuid.uuid4().hex[:12]}_{path.name}"
        read_path = read_path.with_name(read_path.name.removesuffix(".gz"))
        scan_text(path, out=read_path)
    return LandingFile(
        path=path,
        read_path=read_path,
        columns=columns,
        delimiter=delimiter,
        checksum_sha256=scan.checksum_sha256,
        size_bytes=size,
        lines=scan.lines,
        ends_with_newline=scan.ends_with_newline,
        repairs=tuple(scan.repairs() + repairs),
        padded=scan.padded,
    )
