"""Where a linked goal's observations come from: `app.signals.measure_observations`.

The care plan does not read diary or questionnaire tables itself. A feature that collects
data connects one receiver per measure kind in its ``hooks.py``::

    from app.careplan.sources import observes

    @observes("sleep_hours_nights_per_week")
    def sleep_hours(kind, *, patient, measure, start, end):
        ...  # one (local date, hours or None) pair per recorded day in [start, end]

A receiver gets the already-authorized patient, the goal's Measure (``subject``, ``amount``,
``target``) and an inclusive window of the patient's local dates. It returns ``(date, value)``
pairs; a missing day is simply absent (or ``None``), never ``0``. When no receiver serves a
kind, the plan honestly says the goal is not linked to data yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol

from app.careplan.content import Measure
from app.careplan.measures import KINDS
from app.signals import ask_last, measure_observations

if TYPE_CHECKING:
    from app.careteam.models import Patient


class ObservationSource(Protocol):
    def __call__(
        self, kind: str, /, *, patient: Patient, measure: Measure, start: date, end: date
    ) -> list[tuple[date, float | None]]: ...


def observes(kind: str) -> Callable[[ObservationSource], ObservationSource]:
    """Connect a receiver serving the linked measure `kind` (refuses unknown kinds)."""
    if kind not in KINDS or not KINDS[kind].linked:
        raise ValueError(f"unknown or unlinked measure kind: {kind}")

    def connect(receiver: ObservationSource) -> ObservationSource:
        measure_observations.connect(receiver, sender=kind, weak=False)
        return receiver

    return connect


def observations_for(
    patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]] | None:
    """The receiver's observations, or None when no receiver serves this kind."""
    answered, observations = ask_last(
        measure_observations, measure.kind, patient=patient, measure=measure, start=start, end=end
    )
    return list(observations) if answered else None
