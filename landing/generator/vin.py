"""VIN-like identifiers: 17 characters, no I, O or Q, a valid check digit in position 9.

Positions 1-3 are the make's manufacturer code, 10 the model-year code, and 11-17 encode the
group-wide intake number, so VINs are unique within a run.
"""

from __future__ import annotations

import numpy as np

ALPHABET = np.frombuffer(b"ABCDEFGHJKLMNPRSTUVWXYZ0123456789", dtype=np.uint8)
YEAR_CODES = np.frombuffer(b"ABCDEFGHJKLMNPRSTVWXY123456789", dtype=np.uint8)  # 1980, 1981, ...
_WEIGHTS = np.array([8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2])
_VALUES = np.zeros(128, dtype=np.int64)
_VALUES[ord("0") : ord("9") + 1] = np.arange(10)
for _letters, _start in (("ABCDEFGH", 1), ("JKLMN", 1), ("P", 7), ("R", 9), ("STUVWXYZ", 2)):
    for _offset, _char in enumerate(_letters):
        _VALUES[ord(_char)] = _start + _offset


def make_vins(
    wmi: np.ndarray, model_year: np.ndarray, serial: np.ndarray, rng: np.random.Generator
) -> list[str]:
    """VINs for units with the given manufacturer codes (n x 3 bytes), model years, serials."""
    n = len(serial)
    codes = np.empty((n, 17), dtype=np.uint8)
    codes[:, :3] = wmi
    codes[:, 3:8] = ALPHABET[rng.integers(0, len(ALPHABET), (n, 5))]
    codes[:, 9] = YEAR_CODES[(model_year - 1980) % len(YEAR_CODES)]
    codes[:, 10] = ALPHABET[(serial // 1_000_000) % len(ALPHABET)]
    codes[:, 11:] = ord("0") + (serial[:, None] // 10 ** np.arange(5, -1, -1)) % 10
    codes[:, 8] = ord("0")
    check = (_VALUES[codes] * _WEIGHTS).sum(axis=1) % 11
    codes[:, 8] = np.where(check == 10, ord("X"), ord("0") + check)
    return codes.view("S17").ravel().astype(str).tolist()
