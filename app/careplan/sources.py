"""Where a linked goal's observations come from: a registry other packages plug into.

The care plan does not read diary or questionnaire tables itself. A package that collects
data registers one provider per measure kind, typically in its ``init_app``::

    from app.careplan import sources

    def sleep_hours(patient, measure, start, end):
        ...  # one (local date, hours or None) pair per recorded day in [start, end]

    sources.register("sleep_hours_nights_per_week", sleep_hours)

A provider receives the already-authorized patient, the goal's Measure (``subject``,
``amount``, ``target``) and an inclusive window of the patient's local dates. It returns
``(date, value)`` pairs; a missing day is simply absent (or ``None``), never ``0``.
When no provider is registered for a kind, the plan honestly says the goal is not linked
to data yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Protocol

from app.careplan.content import Measure

if TYPE_CHECKING:
    from app.careteam.models import Patient


class ObservationSource(Protocol):
    def __call__(
        self, patient: Patient, measure: Measure, start: date, end: date
    ) -> list[tuple[date, float | None]]: ...


_PROVIDERS: dict[str, ObservationSource] = {}


def register(kind: str, provider: ObservationSource) -> None:
    """Register (or replace) the data provider for a measure kind."""
    from app.careplan.measures import KINDS

    if kind not in KINDS or not KINDS[kind].linked:
        raise ValueError(f"unknown or unlinked measure kind: {kind}")
    _PROVIDERS[kind] = provider


def unregister(kind: str) -> None:
    _PROVIDERS.pop(kind, None)


@contextmanager
def override(kind: str, provider: ObservationSource | None) -> Iterator[None]:
    """Swap (or remove, with None) a kind's provider for the duration of a block; for tests."""
    previous = _PROVIDERS.get(kind)
    if provider is None:
        _PROVIDERS.pop(kind, None)
    else:
        _PROVIDERS[kind] = provider
    try:
        yield
    finally:
        if previous is None:
            _PROVIDERS.pop(kind, None)
        else:
            _PROVIDERS[kind] = previous


def provider_for(kind: str) -> ObservationSource | None:
    return _PROVIDERS.get(kind)


def observations_for(
    patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]] | None:
    """The provider's observations, or None when no provider serves this kind."""
    provider = provider_for(measure.kind)
    if provider is None:
        return None
    return list(provider(patient, measure, start, end))
