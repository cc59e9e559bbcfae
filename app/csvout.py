"""The one CSV writer: every CSV Heed produces (summary export, the patient's data export)
goes through :func:`write`.

A text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with a single quote, as OWASP recommends against CSV injection.
Real numbers (int, float, Decimal) are written as numbers, so -3 stays a number; only text is
neutralized.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from numbers import Number

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value a CSV cell receives: numbers unchanged, text that could be a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, Number) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def write(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV document (RFC 4180 line ends) with every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
