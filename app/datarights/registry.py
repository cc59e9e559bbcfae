"""Each feature registers what it holds about a patient: how to export it and how to erase it.

Exporters return sections of flat rows (for JSON and CSV) and, optionally, FHIR
resources; erasers remove or pseudonymize free text and identifiers. Features
register at import time of their `datarights` hooks module; `app.datarights.hooks`
registers the foundation's own data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.careteam.models import Patient

Row = dict[str, Any]


@dataclass
class Section:
    name: str
    rows: list[Row]
    fhir_resources: list[dict[str, Any]] = field(default_factory=list)


Exporter = Callable[[Patient], list[Section]]
Eraser = Callable[[Patient], None]

_exporters: list[Exporter] = []
_erasers: list[Eraser] = []


def exporter(func: Exporter) -> Exporter:
    if func not in _exporters:
        _exporters.append(func)
    return func


def eraser(func: Eraser) -> Eraser:
    if func not in _erasers:
        _erasers.append(func)
    return func


def exporters() -> list[Exporter]:
    return list(_exporters)


def erasers() -> list[Eraser]:
    return list(_erasers)
