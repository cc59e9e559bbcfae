"""Pages shared by several features (the patient's home, a patient's record) are composed of
sections. Each feature registers a provider; the view asks every provider for its section
before rendering and commits once, so templates only display and never write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.careteam.models import Patient


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


Provider = Callable[[Patient], Section | None]

_providers: dict[str, list[Provider]] = {"home": [], "record": []}


def provider(page: str) -> Callable[[Provider], Provider]:
    """Register `func` as a section provider for `page` ("home" or "record")."""

    def register(func: Provider) -> Provider:
        if func not in _providers[page]:
            _providers[page].append(func)
        return func

    return register


def sections_for(page: str, patient: Patient) -> list[Section]:
    """Sections the current user may see on `page`, in display order (providers check access)."""
    found = [section for build in _providers[page] if (section := build(patient)) is not None]
    return sorted(found, key=lambda section: section.order)
