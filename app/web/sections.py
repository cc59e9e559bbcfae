"""Pages shared by several features (the patient's home, a patient's record) are composed of
sections. Each feature connects a provider to `app.signals.home_section` or
`app.signals.record_section` (`@provider("home")` is the sugar); the view asks every provider
for its section before rendering and commits once, so templates only display and never write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.careteam.models import Patient
from app.signals import home_section, record_section


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


Provider = Callable[[Patient], Section | None]

PAGES = {"home": home_section, "record": record_section}


def provider(page: str) -> Callable[[Provider], Provider]:
    """Connect `func(patient) -> Section | None` to `page`'s signal ("home" or "record")."""

    def connect(func: Provider) -> Provider:
        PAGES[page].connect(func, weak=False)
        return func

    return connect


def sections_for(page: str, patient: Patient) -> list[Section]:
    """Sections the current user may see on `page`, in display order (providers check access)."""
    found = [section for _, section in PAGES[page].send(patient) if section is not None]
    return sorted(found, key=lambda section: section.order)
