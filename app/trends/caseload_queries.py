"""The caseload's aggregate reads: many patients at once (the upcoming list, the registry), a
fixed number of queries whatever their number. Every function takes already-authorized
patients' ids; app/trends/caseload.py judges what they return.

Patients are named by their ids' hex text (`uuid.UUID.hex`, read with app.db.hex_id), in and
out: 2,000 patients' rows would otherwise build and hash tens of thousands of UUID objects."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar, NamedTuple, TypeAlias

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    or_,
    select,
    tuple_,
    type_coerce,
)

from app.alerts.models import Alert
from app.db import (
    HEX_ID_LENGTH,
    UTC_TEXT_LENGTH,
    PerDialect,
    UTCDateTime,
    among,
    aware_utc,
    db,
    hex_id,
    utc_text,
)
from app.diary.models import DiaryEntry, SymptomRating
from app.followups.models import Appointment, AppointmentStatus
from app.instruments.models import Occurrence, Response

Hex: TypeAlias = str
"""A patient id as its hex text (`uuid.UUID.hex`)."""


def visits(ids: Collection[Hex], *, now: datetime) -> tuple[dict[Hex, datetime], dict]:
    """Per patient, the last follow-up visit done (at or before `now`) and the next one planned
    (from `now` on), in one pass over the appointments."""
    if not ids:
        return {}, {}
    done = and_(Appointment.status == AppointmentStatus.DONE, Appointment.starts_at <= now)
    planned = and_(Appointment.status == AppointmentStatus.PLANNED, Appointment.starts_at >= now)
    rows = db.session.execute(
        select(
            hex_id(Appointment.patient_id),
            func.max(case((done, Appointment.starts_at))),
            func.min(case((planned, Appointment.starts_at))),
        )
        .where(among(Appointment.patient_id, ids), or_(done, planned))
        .group_by(Appointment.patient_id)
    )
    last_done: dict[Hex, datetime] = {}
    next_planned: dict[Hex, datetime] = {}
    for pid, last, following in rows:
        if last is not None:
            last_done[pid] = aware_utc(last)
        if following is not None:
            next_planned[pid] = aware_utc(following)
    return last_done, next_planned


def open_alert_counts(ids: Collection[Hex]) -> dict[Hex, int]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(hex_id(Alert.patient_id), func.count())
        .where(among(Alert.patient_id, ids), Alert.acknowledged_at.is_(None))
        .group_by(Alert.patient_id)
    )
    return dict(rows.all())


class KeyScore(NamedTuple):
    """One patient's submitted responses to one instrument, summed up: the latest complete total,
    the one before (None when there is only one) and the baseline (the first; the latest itself
    when there is only one), all None without a complete total; and when the latest incomplete
    response was submitted (None without one)."""

    patient: Hex
    instrument_id: str
    latest: int | None
    latest_at: datetime | None
    previous: int | None
    baseline: int | None
    baseline_at: datetime | None
    complete: int  # how many complete totals there are
    incomplete_at: datetime | None = None


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text + "+00:00")  # 5 times faster than .replace(tzinfo=UTC)


def key_scores(ids: Collection[Hex]) -> list[KeyScore]:
    """Per patient and instrument with a submitted response: the baseline, the latest and the
    previous complete totals, and the time of the latest incomplete response. One query, one
    row per patient and instrument, whatever the history length, and no window (a window over
    every response was most of the registry's database time): the complete totals come packed
    in one string, each as its fixed-width UTC time, its id and its total, so sorting the texts
    orders them by time and, at the same time, by id, the same way on every database; the
    baseline is the first, the latest the last."""
    if not ids:
        return []
    complete = Response.total.is_not(None)
    packed = func.aggregate_strings(
        case(
            (
                complete,
                utc_text(Response.submitted_at)
                + hex_id(Response.id)
                + cast(Response.total, String),
            )
        ),
        ",",
    )
    rows = db.session.execute(
        select(
            hex_id(Response.patient_id),
            Response.instrument_id,
            packed,
            type_coerce(func.max(case((~complete, Response.submitted_at))), UTCDateTime()),
        )
        .where(among(Response.patient_id, ids), Response.submitted_at.is_not(None))
        .group_by(Response.patient_id, Response.instrument_id)
    )
    found = []
    for pid_hex, instrument_id, text, incomplete_at in rows:
        totals = sorted(text.split(",")) if text else []
        latest, baseline = (totals[-1], totals[0]) if totals else (None, None)
        found.append(
            KeyScore(
                pid_hex,
                instrument_id,
                _packed_total(latest),
                _moment(latest[:UTC_TEXT_LENGTH]) if latest else None,
                _packed_total(totals[-2]) if len(totals) > 1 else None,
                _packed_total(baseline),
                _moment(baseline[:UTC_TEXT_LENGTH]) if baseline else None,
                len(totals),
                incomplete_at,
            )
        )
    return found


def _packed_total(item: str | None) -> int | None:
    return None if item is None else int(item[UTC_TEXT_LENGTH + HEX_ID_LENGTH :])


@dataclass(frozen=True)
class IncompleteLatest:
    patient: Hex
    instrument_id: str
    submitted_at: datetime
    answers: dict


def incomplete_latest(keys: Collection[KeyScore]) -> list[IncompleteLatest]:
    """Per patient and instrument, the latest submitted response when it has no total: the
    answers of the incomplete responses `key_scores` found at or after the latest complete
    total (one query, none when there is no such response; the latest response at a shared
    time is the one with the highest id, as in `key_scores`)."""
    wanted = {
        (uuid.UUID(k.patient), k.instrument_id, k.incomplete_at)
        for k in keys
        if k.incomplete_at is not None and (k.latest_at is None or k.incomplete_at >= k.latest_at)
    }
    if not wanted:
        return []
    rows = db.session.execute(
        select(
            hex_id(Response.patient_id).label("patient"),
            Response.instrument_id,
            Response.submitted_at,
            Response.id,
            Response.total,
            Response.answers,
        ).where(
            tuple_(Response.patient_id, Response.instrument_id, Response.submitted_at).in_(
                list(wanted)
            )
        )
    ).all()
    latest: dict[tuple[Hex, str], tuple] = {}
    for row in rows:  # responses at the very same time: the highest id is the latest
        pair = (row.patient, row.instrument_id)
        if pair not in latest or row.id > latest[pair].id:
            latest[pair] = row
    return [
        IncompleteLatest(r.patient, r.instrument_id, r.submitted_at, dict(r.answers or {}))
        for r in latest.values()
        if r.total is None
    ]


def day_levels(ids: Collection[Hex], *, since: date) -> dict[Hex, dict[date, int | None]]:
    """Per patient, the diary days since `since` with the day's level as the diary defines it:
    the overall rating, else the worst symptom rating; None when neither was given (the day is
    still recorded). Patients without such a day are left out. One query, one row per patient:
    the days come packed in one string as day numbers ("20422:4,20423:"), so three weeks of 2,000
    patients are 2,000 rows to convert rather than 40,000 (ratings are read only for days
    without an overall rating)."""
    if not ids:
        return {}
    worst = (
        select(func.max(SymptomRating.score))
        .where(SymptomRating.entry_id == DiaryEntry.id)
        .scalar_subquery()
    )
    level = func.coalesce(DiaryEntry.overall_symptoms, worst)
    packed = func.aggregate_strings(
        cast(day_number(DiaryEntry.local_date), String)
        + ":"
        + func.coalesce(cast(level, String), ""),
        ",",
    )
    rows = db.session.execute(
        select(hex_id(DiaryEntry.patient_id), packed)
        .where(among(DiaryEntry.patient_id, ids), DiaryEntry.local_date >= since)
        .group_by(DiaryEntry.patient_id)
    )
    items = _DayItems()  # a few hundred distinct (day, level) items for any number of patients
    return {pid: dict(map(items.__getitem__, text.split(","))) for pid, text in rows}


class _DayItems(dict[str, tuple[date, int | None]]):
    """A packed day item ("20422:4", "20423:") read once: 2,000 patients' three weeks share a
    few hundred distinct items, so reading each is one dictionary lookup."""

    def __missing__(self, item: str) -> tuple[date, int | None]:
        day_text, _, level_text = item.partition(":")
        day = date.fromordinal(EPOCH_ORDINAL + int(day_text))
        found = self[item] = (day, int(level_text) if level_text else None)
        return found


class day_number(PerDialect):
    """A date column as its day number (days since 1970-01-01) on every database: cheaper for
    PostgreSQL to write out than the date's text. SQLite stores dates as ISO text."""

    type = Integer()
    inherit_cache = True
    forms: ClassVar[dict[str, str]] = {
        "default": "CAST(julianday({column}) - 2440587.5 AS INTEGER)",
        "postgresql": "({column} - DATE '1970-01-01')",
    }


EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def last_entry_days(ids: Collection[Hex]) -> dict[Hex, date]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(hex_id(DiaryEntry.patient_id), func.max(DiaryEntry.local_date))
        .where(among(DiaryEntry.patient_id, ids))
        .group_by(DiaryEntry.patient_id)
    )
    return dict(rows.all())


def overdue_counts(ids: Collection[Hex], *, since: date, now: datetime) -> dict[Hex, int]:
    """Questionnaires due since `since` whose window closed unanswered (one query)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(hex_id(Occurrence.patient_id), func.count())
        .outerjoin(
            Response,
            and_(Response.occurrence_id == Occurrence.id, Response.submitted_at.is_not(None)),
        )
        .where(
            among(Occurrence.patient_id, ids),
            Occurrence.due_date >= since,
            Occurrence.closes_at <= now,
            Response.id.is_(None),
        )
        .group_by(Occurrence.patient_id)
    )
    return dict(rows.all())
