"""The clinician's upcoming follow-ups with flags, and the per-patient states the registry
(app/registry) lists.

Both read every patient at once through the aggregate queries in app/trends/queries.py (a fixed
number of queries for 5 or 500 patients) and judge with the pure functions in analytics.py.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.auth.models import User
from app.careteam.models import Patient
from app.diary.queries import patient_zone
from app.followups import queries as followup_queries
from app.followups.models import Appointment
from app.i18n import valid_timezone
from app.instruments import loader, scoring, wording
from app.trends import analytics
from app.trends import queries as q

UPCOMING_DAYS = 7
LEVEL_DAYS = analytics.RISE_RECENT_DAYS + analytics.RISE_BASELINE_DAYS
OVERDUE_DAYS = 28
KEY_INSTRUMENTS = ("phq9", "gad7")


@dataclass(frozen=True)
class ScoreNow:
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


@dataclass(frozen=True)
class PatientState:
    patient: Patient
    flags: list[analytics.Flag]
    open_alerts: int
    adherence: analytics.Adherence
    last_entry: date | None
    scores: dict[str, ScoreNow]
    not_improving: bool | None
    next_visit: datetime | None
    zone: ZoneInfo
    incomplete: dict[str, Incomplete] = field(default_factory=dict)
    last_visit: datetime | None = None  # the last completed follow-up
    today: date | None = None  # in the patient's zone


def _scores(
    keys: list[q.KeyScore], *, today_by_patient: dict[uuid.UUID, date]
) -> tuple[dict, dict]:
    """Per patient: instrument -> ScoreNow, and the PHQ-9 not-improving judgement."""
    registry = loader.registry()
    grouped: dict[tuple[uuid.UUID, str], list[q.KeyScore]] = defaultdict(list)
    for key in keys:
        grouped[(key.patient_id, key.instrument_id)].append(key)
    scores: dict[uuid.UUID, dict[str, ScoreNow]] = defaultdict(dict)
    improving: dict[uuid.UUID, bool | None] = {}
    known: dict[tuple[str, int, int], scoring.ChangeResult] = {}

    def change(definition: loader.Definition, current: int, reference: int) -> scoring.ChangeResult:
        # A pure function of a few small totals: 500 patients share a few dozen pairs.
        key = (definition.id, current, reference)
        if key not in known:
            known[key] = scoring.change(definition, current, reference)
        return known[key]

    utc = ZoneInfo("UTC")
    for (pid, instrument_id), rows in grouped.items():
        definition = registry.get(instrument_id)
        latest = next((r for r in rows if r.recency == 1), None)
        if definition is None or latest is None:
            continue
        previous = next((r for r in rows if r.recency == 2), None)
        baseline = next((r for r in rows if r.first), None)
        vs_prev = change(definition, latest.total, previous.total) if previous else None
        vs_base = (
            change(definition, latest.total, baseline.total)
            if baseline and baseline is not latest and baseline is not previous
            else None
        )
        scores[pid][instrument_id] = ScoreNow(
            instrument_id,
            latest.total,
            latest.submitted_at,
            vs_prev,
            vs_base,
            previous.total if previous else None,
            previous is None,
            baseline.total if baseline else None,
            baseline.submitted_at if baseline else None,
        )
        if instrument_id == "phq9" and baseline is not None:
            points = [(baseline.submitted_at.astimezone(utc).date(), baseline.total)]
            if latest is not baseline:
                points.append((latest.submitted_at.astimezone(utc).date(), latest.total))
            improving[pid] = analytics.not_improving(points, today=today_by_patient[pid])
    return scores, improving


def states(patients: list[Patient], *, now: datetime) -> dict[uuid.UUID, PatientState]:
    """Flags and key numbers for every patient (at most 9 queries, whatever their number)."""
    ids = [p.id for p in patients]
    zones = {p.id: patient_zone(p) for p in patients}
    today = {pid: now.astimezone(zone).date() for pid, zone in zones.items()}
    earliest = min(today.values(), default=now.date())
    last_visits = q.last_done_visits(ids, now=now)
    alerts = q.open_alert_counts(ids)
    scores, improving = _scores(q.key_scores(ids), today_by_patient=today)
    levels: dict[uuid.UUID, dict[date, int]] = defaultdict(dict)
    recorded: dict[uuid.UUID, set[date]] = defaultdict(set)
    for pid, local_date, level in q.day_levels(ids, since=earliest - timedelta(days=LEVEL_DAYS)):
        recorded[pid].add(local_date)
        if level is not None:
            levels[pid][local_date] = level
    # The latest entry is among the recent days when there are any; look up only the others.
    last_entries = {pid: max(days) for pid, days in recorded.items()}
    last_entries.update(q.last_entry_days([pid for pid in ids if pid not in recorded]))
    last_answers = q.last_response_times(ids)
    overdue = q.overdue_counts(ids, since=earliest - timedelta(days=OVERDUE_DAYS), now=now)
    next_visits = q.next_planned_visits(ids, now=now)
    incomplete = _incomplete(q.incomplete_latest(ids), {p.id: p for p in patients})
    result = {}
    for patient in patients:
        pid, day = patient.id, today[patient.id]
        adherence = analytics.adherence(
            recorded[pid],
            start=day - timedelta(days=analytics.ADHERENCE_DAYS - 1),
            end=day,
            enrolled_on=patient.enrolled_at.astimezone(zones[pid]).date(),
            today=day,
        )
        reference = last_visits.get(pid) or patient.enrolled_at
        flags = []
        if alerts.get(pid):
            flags.append(analytics.Flag.OPEN_ALERT)
        if any(s.worse for s in scores[pid].values()):
            flags.append(analytics.Flag.WORSENING)
        if analytics.sustained_rise(levels.get(pid, {}), today=day) is not None:
            flags.append(analytics.Flag.SYMPTOM_RISE)
        if adherence.low:
            flags.append(analytics.Flag.LOW_ADHERENCE)
        if overdue.get(pid):
            flags.append(analytics.Flag.OVERDUE_QUESTIONNAIRE)
        if analytics.no_data_since(
            reference,
            last_entry_day=last_entries.get(pid),
            last_response_at=last_answers.get(pid),
            reference_day=reference.astimezone(zones[pid]).date(),
        ):
            flags.append(analytics.Flag.NO_DATA_SINCE_VISIT)
        result[pid] = PatientState(
            patient,
            flags,
            alerts.get(pid, 0),
            adherence,
            last_entries.get(pid),
            scores[pid],
            improving.get(pid),
            next_visits.get(pid),
            zones[pid],
            incomplete.get(pid, {}),
            last_visits.get(pid),
            day,
        )
    return result


def _incomplete(
    rows: list[q.IncompleteLatest], patients: dict[uuid.UUID, Patient]
) -> dict[uuid.UUID, dict[str, Incomplete]]:
    registry = loader.registry()
    out: dict[uuid.UUID, dict[str, Incomplete]] = defaultdict(dict)
    for row in rows:
        definition = registry.get(row.instrument_id)
        if definition is None:
            continue
        missing = wording.missing_items(
            definition, row.answers, menstruates=patients[row.patient_id].menstruates
        )
        out[row.patient_id][row.instrument_id] = Incomplete(
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
