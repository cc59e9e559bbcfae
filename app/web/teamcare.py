"""What the team-care features hand each other through signals (`app.signals`, "Team care"):
extra registry columns, reasons to put a patient on a case conference's agenda, and directory
services that match a social need. Plain values only, so no feature imports another for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from flask_babel import format_decimal

from app.i18n.formatting import date as format_day
from app.signals import agenda_candidates, registry_columns, services_for_need

ReasonParam = str | int | float | date


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
    """Stable code, e.g. "critical_alert", "not_improving", "overdue_referral", registered
    once with `agenda_reason_label` (so an agenda shows it in each viewer's language)."""
    params: Mapping[str, ReasonParam] = field(default_factory=dict)
    """Values the label names, e.g. {"score": 19} or {"since": date(...)}: kept with the code
    and formatted in the viewer's language (numbers and dates localized)."""

    def __post_init__(self) -> None:
        if self.code not in _REASON_LABELS:
            raise ValueError(f"agenda reason code {self.code!r} has no registered label")

    @property
    def label(self) -> Any:
        """The translated reason (the lazy string registered for `code`), with `%(name)s`
        placeholders filled from `params`."""
        return _REASON_LABELS[self.code]


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


# -- Agenda reasons kept as code + params, shown in the viewer's language -------------------------

_REASON_LABELS: dict[str, Any] = {}


def agenda_reason_label(code: str, label: Any) -> str:
    """Register (at import) the lazy label of an agenda reason code; returns the code. A
    stored agenda then shows the label in the language of whoever reads it, not the
    builder's."""
    _REASON_LABELS[code] = label
    return code


def stored_reason(reason: AgendaReason) -> dict[str, Any]:
    """What an agenda keeps of a reason: its code, its params (JSON: a date as {"date": iso})
    and its text as built, the fallback for a code no feature registers any more."""
    params = {
        name: {"date": value.isoformat()} if isinstance(value, date) else value
        for name, value in reason.params.items()
    }
    text = _fill(reason.label, reason.params) or str(reason.label)
    return {"code": reason.code, "params": params, "text": text}


def reason_code(stored: Any) -> str:
    """The code of a stored reason (also of an old `[code, text]` pair)."""
    return str(stored.get("code", "")) if isinstance(stored, Mapping) else str(stored[0])


def reason_text(stored: Any) -> str:
    """A stored reason in the current (viewer's) language: the registered label with its
    params, else the text it was stored with."""
    if not isinstance(stored, Mapping):  # an old [code, text] pair
        stored = {"code": stored[0], "text": stored[1] if len(stored) > 1 else ""}
    label = _REASON_LABELS.get(str(stored.get("code")))
    raw = stored.get("params") or {}
    params = {
        name: _param(value) for name, value in (raw.items() if isinstance(raw, Mapping) else ())
    }
    text = _fill(label, params) if label is not None and None not in params.values() else None
    return text or str(stored.get("text") or stored.get("code") or "")


def _param(value: Any) -> Any:
    """A stored param back to its value (a {"date": iso} to a date); None when unreadable."""
    if isinstance(value, Mapping):
        try:
            return date.fromisoformat(str(value.get("date")))
        except ValueError:
            return None
    return value


def _fill(label: Any, params: Mapping[str, Any]) -> str | None:
    """The label in the current language with its params localized; None when they do not
    fit its placeholders."""
    text = str(label)
    if not params:
        return None if "%(" in text else text
    shown = {
        name: format_day(value)
        if isinstance(value, date)
        else format_decimal(value)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else str(value)
        for name, value in params.items()
    }
    try:
        return text % shown
    except (KeyError, TypeError, ValueError):
        return None


def suggested_services(sender: Any, *, patient: Any, need: str) -> list[SuggestedService]:
    """The first non-empty list of suggested services for `need` (empty without a directory)."""
    for _, services in services_for_need.send(sender, patient=patient, need=need):
        if services:
            return list(services)
    return []
