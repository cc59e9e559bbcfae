"""What the team-care features hand each other through signals (`app.signals`, "Team care"):
extra registry columns, reasons to put a patient on a case conference's agenda, and directory
services that match a social need. Plain values only, so no feature imports another for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from app.signals import agenda_candidates, registry_columns, services_for_need


@dataclass(frozen=True)
class RegistryColumn:
    """One extra column of the registry, for every listed patient."""

    key: str
    """Stable id, also the CSV header (e.g. "open_referrals")."""
    label: str
    """Translated column heading (a lazy string is fine)."""
    values: Mapping[UUID, str | int | None]
    """Patient id -> cell value; a missing id or None shows as empty, never 0."""
    flagged: frozenset[UUID] = field(default_factory=frozenset)
    """Patients this column marks for attention (filterable "needs attention")."""
    order: int = 50


@dataclass(frozen=True)
class AgendaReason:
    """Why a patient should be discussed at the next case conference."""

    patient_id: UUID
    code: str
    """Stable code, e.g. "critical_alert", "not_improving", "overdue_referral"."""
    label: str
    """Translated reason shown on the agenda (a lazy string is fine)."""


@dataclass(frozen=True)
class SuggestedService:
    """A directory service suggested for a social need; the clinician chooses and sends."""

    name: str
    help_kinds: str
    url: str
    """Opens the referral form prefilled with this service (nothing is sent by following it)."""


RegistryRule = Callable[..., RegistryColumn | None]
AgendaRule = Callable[..., Iterable[AgendaReason]]
ServiceFinder = Callable[..., list[SuggestedService]]


def registry_column(func: RegistryRule) -> RegistryRule:
    """Connect `func(sender, *, clinic_id, patient_ids, today) -> RegistryColumn | None`."""
    registry_columns.connect(func, weak=False)
    return func


def agenda_rule(func: AgendaRule) -> AgendaRule:
    """Connect `func(sender, *, clinic_id, patient_ids, since, until) -> Iterable[AgendaReason]`."""
    agenda_candidates.connect(func, weak=False)
    return func


def service_finder(func: ServiceFinder) -> ServiceFinder:
    """Connect `func(sender, *, patient, need) -> list[SuggestedService]`."""
    services_for_need.connect(func, weak=False)
    return func


def extra_columns(
    sender: Any, *, clinic_id: UUID, patient_ids: frozenset[UUID], today: Any
) -> list[RegistryColumn]:
    """Every connected feature's registry column, in display order."""
    found = [
        column
        for _, column in registry_columns.send(
            sender, clinic_id=clinic_id, patient_ids=patient_ids, today=today
        )
        if column is not None
    ]
    return sorted(found, key=lambda column: column.order)


def agenda_reasons(
    sender: Any, *, clinic_id: UUID, patient_ids: frozenset[UUID], since: Any, until: Any
) -> list[AgendaReason]:
    """Every connected rule's reasons, in the order the rules were connected."""
    return [
        reason
        for _, reasons in agenda_candidates.send(
            sender, clinic_id=clinic_id, patient_ids=patient_ids, since=since, until=until
        )
        for reason in reasons or ()
    ]


def suggested_services(sender: Any, *, patient: Any, need: str) -> list[SuggestedService]:
    """The first non-empty list of suggested services for `need` (empty without a directory)."""
    for _, services in services_for_need.send(sender, patient=patient, need=need):
        if services:
            return list(services)
    return []
