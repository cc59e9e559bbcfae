"""The clinician's upcoming follow-ups with flags, and the per-patient states the registry
(app/registry) lists.

Both read every patient at once through the aggregate queries in app/trends/caseload_queries.py (a fixed
number of queries for 5 or 500 patients) and judge with the pure functions in analytics.py.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app

from app.auth.models import User
from app.careteam.models import Patient
from app.followups import queries as followup_queries
from app.followups.models import Appointment
from app.i18n import valid_timezone
from app.instruments import loader, scoring, wording
from app.trends import analytics
from app.trends import caseload_queries as q

UPCOMING_DAYS = 7
LEVEL_DAYS = analytics.RISE_RECENT_DAYS + analytics.RISE_BASELINE_DAYS
OVERDUE_DAYS = 28
KEY_INSTRUMENTS = ("phq9", "gad7")


class ScoreNow(NamedTuple):
    """An immutable record (a NamedTuple: the registry builds 4,000 of them per view, three
    times faster than a frozen dataclass)."""

    instrument_id: str
    latest: int
    latest_at: datetime
    vs_previous: scoring.ChangeResult | None
    vs_baseline: scoring.ChangeResult | None
    previous: int | None = None  # the previous complete total
    first: bool = False  # the only complete total so far
    baseline: int | None = None  # the first complete total (the latest itself when first)
    baseline_at: datetime | None = None

    @property
    def worse(self) -> bool:
        return any(
            c is not None and c.flag == "worse" for c in (self.vs_previous, self.vs_baseline)
        )


@dataclass(frozen=True)
class Incomplete:
    """The latest response has no total: shown as such, never the older total as latest."""

    instrument_id: str
    submitted_at: datetime
    missing: int  # items not answered (never counted as zero)


class PatientState(NamedTuple):
    """One patient's flags and key numbers (a NamedTuple, built for every listed patient)."""

    patient: Patient | Listed  # as given to `states`
    flags: list[analytics.Flag]
    open_alerts: int
    adherence: analytics.Adherence
    last_entry: date | None
    scores: dict[str, ScoreNow]
    not_improving: bool | None
    next_visit: datetime | None
    zone: ZoneInfo
    incomplete: dict[str, Incomplete]
    last_visit: datetime | None  # the last completed follow-up
    today: date  # in the patient's zone


class Listed(NamedTuple):
    """A listed patient as plain columns (no ORM objects: 2,000 of them cost ~1 s; a
    NamedTuple, not a frozen dataclass, for the same reason). `states` takes these or Patient
    objects."""

    id: uuid.UUID
    display_name: str
    enrolled_at: datetime
    menstruates: bool | None
    timezone: str | None  # the patient's own (their user's), None or invalid: the default

    @classmethod
    def of(cls, patient: Patient) -> Listed:
        return cls(
            patient.id,
            patient.display_name,
            patient.enrolled_at,
            patient.menstruates,
            patient.user.timezone,
        )


def _scores(
    keys: list[q.KeyScore], *, today_by_patient: dict[q.Hex, date]
) -> tuple[dict, dict, set]:
    """Per patient: instrument -> ScoreNow, the PHQ-9 not-improving judgement, and the patients
    with a score worse than before (`ScoreNow.worse`)."""
    registry = loader.registry()
    scores: dict[q.Hex, dict[str, ScoreNow]] = defaultdict(dict)
    improving: dict[q.Hex, bool | None] = {}
    worsening: set[q.Hex] = set()
    known: dict[tuple[str, int, int], scoring.ChangeResult] = {}

    def change(definition: loader.Definition, current: int, reference: int) -> scoring.ChangeResult:
        # A pure function of a few small totals: 500 patients share a few dozen pairs.
        key = (definition.id, current, reference)
        if key not in known:
            known[key] = scoring.change(definition, current, reference)
        return known[key]

    for key in keys:
        pid, instrument_id = key.patient, key.instrument_id
        definition = registry.get(instrument_id)
        if definition is None or key.latest is None:
            continue
        assert key.latest_at and key.baseline is not None and key.baseline_at  # noqa: S101
        previous = key.previous if key.complete > 1 else None
        vs_prev = change(definition, key.latest, previous) if previous is not None else None
        # Against the baseline only when it is neither the latest nor the previous total.
        vs_base = change(definition, key.latest, key.baseline) if key.complete > 2 else None
        score = scores[pid][instrument_id] = ScoreNow(
            instrument_id,
            key.latest,
            key.latest_at,
            vs_prev,
            vs_base,
            previous,
            previous is None,
            key.baseline,
            key.baseline_at,
        )
        if score.worse:
            worsening.add(pid)
        if instrument_id == "phq9":
            points = [(key.baseline_at.astimezone(UTC).date(), key.baseline)]
            if key.complete > 1:
                points.append((key.latest_at.astimezone(UTC).date(), key.latest))
            improving[pid] = analytics.not_improving(points, today=today_by_patient[pid])
    return scores, improving, worsening


def _last_answers(keys: list[q.KeyScore]) -> dict[q.Hex, datetime]:
    """When each patient last submitted a response, complete or not (from the key scores: the
    latest complete and the latest incomplete response of every instrument)."""
    found: dict[q.Hex, datetime] = {}
    for key in keys:
        for at in (key.latest_at, key.incomplete_at):
            if at is not None and (key.patient not in found or at > found[key.patient]):
                found[key.patient] = at
    return found


def _listed(patients: Sequence[Patient | Listed]) -> list[Listed]:
    return [p if isinstance(p, Listed) else Listed.of(p) for p in patients]


def states(patients: Sequence[Patient | Listed], *, now: datetime) -> dict[uuid.UUID, PatientState]:
    """Flags and key numbers for every patient (at most 7 queries, whatever their number).
    Each state keeps the patient as given (a Patient or a Listed). The reads name patients by
    their ids' hex text (app/trends/caseload_queries.py); the states are keyed by the ids."""
    listed = _listed(patients)
    ids = [p.id.hex for p in listed]
    zone_of: dict[str | None, ZoneInfo] = {}  # a few dozen zones for any number of patients
    for name in {p.timezone for p in listed}:
        zone_of[name] = ZoneInfo(valid_timezone(name) or current_app.config["DEFAULT_TIMEZONE"])
    today_in = {zone: now.astimezone(zone).date() for zone in set(zone_of.values())}
    today = {pid: today_in[zone_of[p.timezone]] for pid, p in zip(ids, listed, strict=True)}
    earliest = min(today_in.values(), default=now.date())
    last_visits, next_visits = q.visits(ids, now=now)
    alerts = q.open_alert_counts(ids)
    keys = q.key_scores(ids)
    scores, improving, worsening = _scores(keys, today_by_patient=today)
    days = q.day_levels(ids, since=earliest - timedelta(days=LEVEL_DAYS))
    # The latest entry is among the recent days when there are any; look up only the others.
    last_entries = {pid: max(recorded) for pid, recorded in days.items()}
    last_entries.update(q.last_entry_days([pid for pid in ids if pid not in days]))
    last_answers = _last_answers(keys)
    overdue = q.overdue_counts(ids, since=earliest - timedelta(days=OVERDUE_DAYS), now=now)
    incomplete = _incomplete(q.incomplete_latest(keys), dict(zip(ids, listed, strict=True)))
    result = {}
    for patient, plain, pid in zip(patients, listed, ids, strict=True):
        day, zone = today[pid], zone_of[plain.timezone]
        recorded = days.get(pid, {})
        adherence = analytics.adherence(
            recorded,
            start=day - timedelta(days=analytics.ADHERENCE_DAYS - 1),
            end=day,
            enrolled_on=plain.enrolled_at.astimezone(zone).date(),
            today=day,
        )
        reference = last_visits.get(pid) or plain.enrolled_at
        flags = []
        if alerts.get(pid):
            flags.append(analytics.Flag.OPEN_ALERT)
        if pid in worsening:
            flags.append(analytics.Flag.WORSENING)
        levels = (  # days without a level are not levels (a missing value is never zero)
            {d: level for d, level in recorded.items() if level is not None}
            if None in recorded.values()
            else recorded
        )
        if levels and analytics.sustained_rise(levels, today=day) is not None:
            flags.append(analytics.Flag.SYMPTOM_RISE)
        if adherence.low:
            flags.append(analytics.Flag.LOW_ADHERENCE)
        if overdue.get(pid):
            flags.append(analytics.Flag.OVERDUE_QUESTIONNAIRE)
        if analytics.no_data_since(
            reference,
            last_entry_day=last_entries.get(pid),
            last_response_at=last_answers.get(pid),
            reference_day=reference.astimezone(zone).date(),
        ):
            flags.append(analytics.Flag.NO_DATA_SINCE_VISIT)
        result[plain.id] = PatientState(
            patient,
            flags,
            alerts.get(pid, 0),
            adherence,
            last_entries.get(pid),
            scores[pid],
            improving.get(pid),
            next_visits.get(pid),
            zone,
            incomplete.get(pid, {}),
            last_visits.get(pid),
            day,
        )
    return result


def _incomplete(
    rows: list[q.IncompleteLatest], patients: dict[q.Hex, Listed]
) -> dict[q.Hex, dict[str, Incomplete]]:
    registry = loader.registry()
    out: dict[q.Hex, dict[str, Incomplete]] = defaultdict(dict)
    for row in rows:
        definition = registry.get(row.instrument_id)
        if definition is None:
            continue
        missing = wording.missing_items(
            definition, row.answers, menstruates=patients[row.patient].menstruates
        )
        out[row.patient][row.instrument_id] = Incomplete(
            row.instrument_id, row.submitted_at, missing
        )
    return out


@dataclass(frozen=True)
class UpcomingRow:
    appointment: Appointment
    state: PatientState
    zone: str


@dataclass(frozen=True)
class UpcomingDay:
    day: date
    is_today: bool
    rows: list[UpcomingRow]


def upcoming(clinician: User, *, now: datetime) -> list[UpcomingDay]:
    """The next 7 days in the clinician's zone, today first; within a day, most urgent first."""
    zone = ZoneInfo(valid_timezone(clinician.timezone) or "UTC")
    today = now.astimezone(zone).date()
    start = datetime.combine(today, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(today + timedelta(days=UPCOMING_DAYS), time(0), tzinfo=zone).astimezone(
        UTC
    )
    found = followup_queries.upcoming_for_clinician(clinician, start=start, end=end)
    patients = list({item.patient.id: item.patient for item in found}.values())
    by_patient = states(patients, now=now)
    days: dict[date, list[UpcomingRow]] = defaultdict(list)
    for item in found:
        local_day = item.appointment.starts_at.astimezone(zone).date()
        state = by_patient[item.patient.id]
        days[local_day].append(UpcomingRow(item.appointment, state, str(state.zone)))
    return [
        UpcomingDay(
            day,
            day == today,
            sorted(
                rows,
                key=lambda r: (*analytics.urgency(r.state.flags), r.appointment.starts_at),
            ),
        )
        for day, rows in sorted(days.items())
    ]
