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
from app.signals import (
    careplan_section,
    home_section,
    metrics_section,
    patterns_section,
    record_section,
    staff_home_section,
    summary_section,
)


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


Provider = Callable[..., Section | None]

PAGES = {
    "home": home_section,
    "record": record_section,
    "summary": summary_section,
    "staff_home": staff_home_section,
    "metrics": metrics_section,
    "patterns": patterns_section,
    "careplan": careplan_section,
}


def provider(page: str) -> Callable[[Provider], Provider]:
    """Connect `func(sender, **kwargs) -> Section | None` to `page`'s signal ("home",
    "record", "summary", "patterns", "careplan": sender the Patient; "staff_home", "metrics": sender the staff User)."""

    def connect(func: Provider) -> Provider:
        PAGES[page].connect(func, weak=False)
        return func

    return connect


def sections_for(page: str, sender: Patient | Any, **kwargs: Any) -> list[Section]:
    """Sections the current user may see on `page`, in display order (providers check access)."""
    found = [section for _, section in PAGES[page].send(sender, **kwargs) if section is not None]
    return sorted(found, key=lambda section: section.order)
