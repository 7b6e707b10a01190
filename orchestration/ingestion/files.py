"""File-level checks before any row is read: present, readable, with the contract's header."""

from __future__ import annotations

import csv
import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from orchestration.contract import Feed


class LandingFileError(Exception):
    """A landing file that cannot be loaded as it is; the message says which file and why."""


@dataclass(frozen=True)
class LandingFile:
    path: Path
    header: tuple[str, ...]
    checksum_sha256: str
    size_bytes: int


def _open_text(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open("r", encoding="utf-8", newline="")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def inspect_file(path: Path, feed: Feed) -> LandingFile:
    """Check a file's presence and header against the contract; raise LandingFileError if unfit."""
    if not path.exists():
        raise LandingFileError(
            f"{path}: missing. The '{feed.name}' feed expects this file "
            f"(cadence {feed.cadence}); deliver it or exclude the day from the run."
        )
    size = path.stat().st_size
    if size == 0:
        raise LandingFileError(
            f"{path}: empty file (0 bytes). Expected at least the header row: "
            + ",".join(feed.column_names)
        )
    try:
        with _open_text(path) as handle:
            first_line = handle.readline()
    except (UnicodeDecodeError, OSError, EOFError) as exc:
        raise LandingFileError(f"{path}: line 1 is unreadable ({exc}).") from exc
    header = tuple(h.strip() for h in next(csv.reader([first_line]), []))
    expected = feed.column_names
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    if missing or extra:
        detail = []
        if missing:
            detail.append(f"missing column(s) {missing}")
        if extra:
            detail.append(f"unexpected column(s) {extra}")
        raise LandingFileError(
            f"{path}: line 1 (header) does not match the '{feed.name}' contract: "
            + "; ".join(detail)
            + f". Expected: {','.join(expected)}"
        )
    return LandingFile(path=path, header=header, checksum_sha256=_sha256(path), size_bytes=size)
