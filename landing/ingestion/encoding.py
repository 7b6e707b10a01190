"""Reading a landing file's text in one streaming pass: checksum, encoding, mojibake, line count.

The contract says UTF-8. Two faults are repaired because the fix is unambiguous, and reported:

- a line that is not valid UTF-8 but is valid Windows-1252 (the legacy encoding of Western
  DMS exports, a superset of Latin-1's printable range) is decoded as Windows-1252;
- mojibake, UTF-8 text once decoded as Windows-1252 and saved again (``DoubleÂ Overhead``,
  ``CitroÃ«n``), is turned back into the characters meant; a non-breaking space that comes out
  of it becomes a plain space, since ``trim`` and equality treat the two differently.

A byte that neither encoding defines is not guessed at: the file fails, naming line and column.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

CHUNK_BYTES = 1 << 20

# The character each byte 0x80-0xFF becomes when Windows-1252 text is misread; the five bytes
# cp1252 leaves undefined come out as the C1 controls of Latin-1, as in most mis-decoders.
_CHAR_OF_BYTE = {
    b: (bytes([b]).decode("cp1252", errors="ignore") or chr(b)) for b in range(0x80, 0x100)
}
_BYTE_OF_CHAR = {c: b for b, c in _CHAR_OF_BYTE.items()}
_CONT = "[" + re.escape("".join(_CHAR_OF_BYTE[b] for b in range(0x80, 0xC0))) + "]"
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}|\u00c2(?= )"
)


class UndecodableText(ValueError):
    """A byte that is neither UTF-8 nor Windows-1252, with where it is."""

    def __init__(self, line: int, column: int, byte: int, line_text: str) -> None:
        self.line, self.column, self.byte, self.line_text = line, column, byte, line_text
        super().__init__(f"line {line}, character {column}: byte 0x{byte:02x} is not UTF-8")


@dataclass
class TextScan:
    """What one pass over a file found."""

    checksum_sha256: str = ""
    header: str = ""
    lines: int = 0
    ends_with_newline: bool = True
    cp1252_lines: int = 0
    mojibake_fixes: int = 0
    blank: bool = True
    padded: bool = False  # a value may start or end with a space (_may_be_padded)

    @property
    def needs_rewrite(self) -> bool:
        return bool(self.cp1252_lines or self.mojibake_fixes)

    def repairs(self) -> list[str]:
        found = []
        if self.cp1252_lines:
            found.append(
                f"decoded {self.cp1252_lines} line(s) as Windows-1252 (file is not all UTF-8)"
            )
        if self.mojibake_fixes:
            found.append(f"repaired {self.mojibake_fixes} mojibake sequence(s) (e.g. 'Â ' -> ' ')")
        return found


def fix_mojibake(text: str) -> tuple[str, int]:
    """``text`` with mis-decoded UTF-8 sequences restored, and how many were restored."""
    if text.isascii():
        return text, 0
    fixes = 0

    def restore(match: re.Match) -> str:
        nonlocal fixes
        sequence = match.group()
        if sequence == "\u00c2":  # "Â" + space: a non-breaking space whose 0xA0 became a space
            fixes += 1
            return ""
        try:
            fixed = bytes(_BYTE_OF_CHAR[c] for c in sequence).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            return sequence
        fixes += 1
        return fixed.replace("\u00a0", " ")

    return _MOJIBAKE.sub(restore, text), fixes


def _decode_line(raw: bytes, line_number: int) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("cp1252"), True
        except UnicodeDecodeError:
            start = utf8_error.start
            prefix = raw[:start].decode("utf-8", errors="replace")
            text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            raise UndecodableText(line_number, len(prefix) + 1, raw[start], text) from None


def _decode_chunk(lines: list[bytes], first_line: int, scan: TextScan) -> str:
    chunk = b"".join(lines)
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError:
        parts = []
        for offset, raw in enumerate(lines):
            decoded, legacy = _decode_line(raw, first_line + offset)
            scan.cp1252_lines += legacy
            parts.append(decoded)
        text = "".join(parts)
    text, fixes = fix_mojibake(text)
    scan.mojibake_fixes += fixes
    return text


class _HashingReader:
    """A read-through file wrapper that hashes the bytes on disk (compressed or not)."""

    def __init__(self, handle, digest) -> None:
        self._handle, self._digest = handle, digest

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._digest.update(data)
        return data

    def readable(self) -> bool:
        return True


def _open_binary(path: Path, digest) -> tuple:
    handle = path.open("rb")
    hashing = _HashingReader(handle, digest)
    if path.name.endswith(".gz"):
        return handle, hashing, gzip.GzipFile(fileobj=hashing, mode="rb")
    return handle, hashing, hashing


def _iter_blocks(stream):
    """The stream in blocks of whole lines (the last one may lack its line end)."""
    pending = b""
    while True:
        data = stream.read(CHUNK_BYTES)
        if not data:
            if pending:
                yield pending
            return
        data = pending + data
        cut = data.rfind(b"\n") + 1
        pending = data[cut:]
        if cut:
            yield data[:cut]


def _may_be_padded(block: bytes) -> bool:
    """Whether a block of whole ASCII lines may hold a value with a space at either end.

    The fast path leaves out ``trim`` for files where it changes nothing (it was two thirds of
    the row test's time). In ASCII text trim strips only the space, so a file without one
    needs none; non-ASCII blocks count as padded (trim also strips U+00A0 and other spaces).
    Looking for a space next to a delimiter, quote or line end instead cost as much as the
    trims it saved (Python's search for two bytes, 4 ms a MB), a single byte ~0.05 ms."""
    return b" " in block


def scan_text(path: Path, out: Path | None = None) -> TextScan:
    """Stream ``path`` once (gzip or plain): checksum, header, repairs; write UTF-8 to ``out``."""
    digest = hashlib.sha256()
    scan = TextScan()
    handle, hashing, stream = _open_binary(path, digest)
    sink = out.open("w", encoding="utf-8", newline="") if out else None
    try:
        last_line = b""
        for block in _iter_blocks(stream):
            if block.isascii() and b"\r" not in block:
                # Most files: valid UTF-8 with nothing to repair, so only the lines are
                # counted; splitting and decoding them was most of the scan's time.
                count, last_line = block.count(b"\n") + (not block.endswith(b"\n")), block
                text = block.decode("ascii") if sink or scan.blank else ""
                scan.padded = scan.padded or _may_be_padded(block)
            else:
                lines = block.splitlines(keepends=True)
                count, last_line = len(lines), lines[-1]
                text = _decode_chunk(lines, scan.lines + 1, scan)
                scan.padded = True
            if scan.lines == 0:
                scan.header = text.split("\n", 1)[0].rstrip("\r").lstrip("\ufeff")
            if scan.blank and text.strip():
                scan.blank = False
            scan.lines += count
            if sink:
                sink.write(text)
        scan.ends_with_newline = last_line.endswith(b"\n") or not last_line
        while hashing.read(CHUNK_BYTES):  # hash what the decompressor left (its trailer)
            pass
    except (OSError, EOFError, zlib.error) as exc:
        kind = "gzip" if path.name.endswith(".gz") else "a file"
        raise OSError(f"cannot be read as {kind}: {exc}") from exc
    finally:
        if sink:
            sink.close()
        handle.close()
    scan.checksum_sha256 = digest.hexdigest()
    return scan
