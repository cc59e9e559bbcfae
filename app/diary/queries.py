"""Diary reads. Each function issues a fixed number of queries, whatever the history length."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload, undefer

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.diary.catalogs import DEFAULT_SYMPTOMS, SYMPTOMS, symptom_label
from app.diary.models import CaregiverObservation, DiaryEntry, DiaryRevision, TrackedSymptom
from app.diary.values import Activity, DiaryValues
from app.i18n import valid_timezone


def patient_zone(patient: Patient) -> ZoneInfo:
    name = valid_timezone(patient.user.timezone) or current_app.config["DEFAULT_TIMEZONE"]
    return ZoneInfo(name)


def local_today(patient: Patient, *, now: datetime | None = None) -> date:
    """The patient's diary day: today's date in their own time zone."""
    return (now or utcnow()).astimezone(patient_zone(patient)).date()


@dataclass(frozen=True)
class SymptomDef:
    key: str
    label: str
    is_custom: bool


def tracked_symptoms(patient: Patient) -> list[SymptomDef]:
    """The patient's symptoms in their order; the default set when none were chosen yet."""
    rows = db.session.scalars(
        select(TrackedSymptom)
        .where(TrackedSymptom.patient_id == patient.id)
        .order_by(TrackedSymptom.position)
    ).all()
    if not rows:
        return [SymptomDef(code, str(SYMPTOMS[code]), False) for code in DEFAULT_SYMPTOMS]
    return [
        SymptomDef(row.key, row.custom_label or str(SYMPTOMS.get(row.key, row.key)), row.is_custom)
        for row in rows
    ]


def symptom_defs(patient: Patient, entry: DiaryEntry | None) -> list[SymptomDef]:
    """Tracked symptoms plus any this day's entry already rated (so editing keeps them)."""
    defs = tracked_symptoms(patient)
    known = {d.key for d in defs}
    for rating in entry.symptoms if entry else []:
        if rating.symptom_key not in known:
            label = symptom_label(rating.symptom_key, {})
            defs.append(SymptomDef(rating.symptom_key, label, False))
    return defs


def _with_children():
    return (selectinload(DiaryEntry.symptoms), selectinload(DiaryEntry.activities))


def entry_for_day(patient: Patient, day: date) -> DiaryEntry | None:
    """The day's entry with its ratings and activities, in one statement (one row per pair of
    children: a day has a handful of each). A day has at most one entry; LIMIT 1 makes the
    entry a one-row subquery, so the children are always fetched by index (a plain join can
    become a sequential scan of all ratings when the planner lacks statistics)."""
    return (
        db.session.scalars(
            select(DiaryEntry)
            .options(joinedload(DiaryEntry.symptoms), joinedload(DiaryEntry.activities))
            .where(DiaryEntry.patient_id == patient.id, DiaryEntry.local_date == day)
            .limit(1)
        )
        .unique()
        .one_or_none()
    )


def revision_for_submission(submission_id: uuid.UUID) -> DiaryRevision | None:
    """The revision a submission id already wrote, with its entry (None: not seen yet)."""
    return db.session.scalar(
        select(DiaryRevision)
        .options(selectinload(DiaryRevision.entry))
        .where(DiaryRevision.submission_id == submission_id)
    )


def observation_for_client_id(client_id: uuid.UUID) -> CaregiverObservation | None:
    return db.session.scalar(
        select(CaregiverObservation).where(CaregiverObservation.client_id == client_id)
    )


def entries_between(patient: Patient, start: date, end: date) -> list[DiaryEntry]:
    """Entries with start <= local_date <= end, oldest first, children loaded in bulk."""
    return list(
        db.session.scalars(
            select(DiaryEntry)
            .options(*_with_children())
            .where(
                DiaryEntry.patient_id == patient.id,
                DiaryEntry.local_date >= start,
                DiaryEntry.local_date <= end,
            )
            .order_by(DiaryEntry.local_date)
        )
    )


def observations_between(patient: Patient, start: date, end: date) -> list[CaregiverObservation]:
    return list(
        db.session.scalars(
            select(CaregiverObservation)
            .where(
                CaregiverObservation.patient_id == patient.id,
                CaregiverObservation.local_date >= start,
                CaregiverObservation.local_date <= end,
            )
            .order_by(CaregiverObservation.local_date, CaregiverObservation.created_at)
        )
    )


@dataclass(frozen=True)
class RevisionView:
    revision: DiaryRevision
    actor: User


def revisions_for(entry: DiaryEntry) -> list[RevisionView]:
    rows = db.session.execute(
        select(DiaryRevision, User)
        .options(undefer(DiaryRevision.changes))
        .join(User, User.id == DiaryRevision.actor_id)
        .where(DiaryRevision.entry_id == entry.id)
        .order_by(DiaryRevision.at)
    ).all()
    return [RevisionView(revision, actor) for revision, actor in rows]


def recent_custom_triggers(patient: Patient, *, today: date, days: int = 60) -> list[str]:
    """The patient's own trigger tags from recent entries, most used first."""
    counts: dict[str, int] = {}
    for tags in db.session.scalars(
        select(DiaryEntry.custom_triggers).where(
            DiaryEntry.patient_id == patient.id,
            DiaryEntry.local_date >= today - timedelta(days=days),
        )
    ):
        for tag in tags or []:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda tag: (-counts[tag], tag))[:10]


def values_from_entry(entry: DiaryEntry) -> DiaryValues:
    return DiaryValues(
        mode=entry.mode,
        overall_symptoms=entry.overall_symptoms,
        mood=entry.mood,
        stress=entry.stress,
        energy=entry.energy,
        bedtime=entry.bedtime,
        wake_time=entry.wake_time,
        sleep_quality=entry.sleep_quality,
        night_awakenings=entry.night_awakenings,
        rest_breaks=entry.rest_breaks,
        within_limits=entry.within_limits,
        notes=entry.notes,
        symptoms={r.symptom_key: r.score for r in entry.symptoms},
        body_sites={r.symptom_key: r.body_site for r in entry.symptoms if r.body_site},
        triggers=tuple(sorted(entry.triggers or [])),
        custom_triggers=tuple(entry.custom_triggers or []),
        activities={
            b.kind: Activity(b.planned_minutes, b.done_minutes, b.exertion)
            for b in entry.activities
        },
    )


def days_with_entries(patient: Patient, start: date, end: date) -> set[date]:
    return set(
        db.session.scalars(
            select(DiaryEntry.local_date).where(
                DiaryEntry.patient_id == patient.id,
                DiaryEntry.local_date >= start,
                DiaryEntry.local_date <= end,
            )
        )
    )


def entry_version(entry: DiaryEntry | None) -> str:
    """The version of a day's entry a form showed ("" before the first save), as the API's ETag
    names it: an entry saved offline from that form is sent with `If-Match` on it, and
    conflicts when the day has changed since (docs/offline.md)."""
    return "" if entry is None else str(entry.version)
