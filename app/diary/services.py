"""Diary writes. Services flush; the request (or job) commits."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.diary import forms, queries, writes
from app.diary.catalogs import CUSTOM_PREFIX, SYMPTOMS
from app.diary.models import (
    CaregiverObservation,
    DiaryEntry,
    EntryMode,
    TrackedSymptom,
)
from app.diary.values import DiaryValues, changes_between
from app.signals import entry_saved

QUICK_FIELDS = ("overall_symptoms", "mood", "sleep_quality")


class SubmissionConflict(Exception):
    """The same submission id arrived again with different content."""


@dataclass(frozen=True)
class VersionCheck:
    """A conditional write (the API's `If-Match`): `sent` False = no precondition was sent;
    `version` None with `sent` = `*` (any existing entry)."""

    sent: bool
    version: int | None = None


class PreconditionFailed(Exception):
    """The entry is not at the version the caller named (412), or a precondition is required
    to change an existing entry and none was sent (428). `entry` is the current one, if any."""

    def __init__(self, entry: DiaryEntry | None, *, required: bool = False) -> None:
        super().__init__("precondition")
        self.entry, self.required = entry, required


CONFLICT = _l(
    "This form was already sent with different answers. Reload the page to see what was saved, then make your changes again."
)


@dataclass(frozen=True)
class Submission:
    """What became of a submitted diary form: saved (`result`), or refused with the errors to
    show (keyed by field) and the HTTP status (422 invalid, 409 conflicting repeat)."""

    result: SaveResult | None
    errors: Mapping[str, str] = dataclasses.field(default_factory=dict)
    status: int = 200
    current: DiaryEntry | None = None  # a refused conditional write: the entry as it is


def submit_entry(
    *,
    patient: Patient,
    local_date: date,
    today: date,
    mode: EntryMode,
    data: Mapping[str, Any],
    actor: User,
    check: VersionCheck | None = None,
) -> Submission:
    """Parse a submitted diary form (form fields or JSON) for `local_date` and save it.

    The one diary write path, for the form POST and the API PUT alike, and the one diary
    service that commits: the loser of a race for the same day or submission id rolls back
    and starts over, answering as any repeat does (see `db.commit_once`); a write from a
    stale read of the entry (its version moved on) starts over the same way. A refused
    submission writes nothing (the caller rolls back what the request left).

    `check` (the API): a repeat of a submission id answers as before, whatever it names;
    otherwise an existing entry changes only at the version named (412, with the current
    entry), never without one (428); a version named for a day without an entry is 412."""
    # The day's entry and what the submission id already wrote: one statement, passed on.
    sent_id = forms.submission_id_of(data)
    state = (
        writes.day_state(patient_id=patient.id, local_date=local_date, submission_id=sent_id)
        if sent_id is not None
        else writes.DayState(queries.entry_for_day(patient, local_date))
    )
    entry = state.entry
    # The tracked symptoms only matter to a submission that rates symptoms.
    rated = forms.rates_symptoms(data)
    keys = [d.key for d in queries.symptom_defs(patient, entry)] if rated else []
    parsed = forms.parse_entry(data, day=local_date, today=today, mode=mode, symptom_keys=keys)
    if not parsed.ok or parsed.values is None or parsed.submission_id is None:
        return Submission(None, parsed.errors, 422)
    values, submission_id = parsed.values, parsed.submission_id

    def save(again: bool) -> SaveResult:
        return record_entry(
            patient=patient,
            local_date=local_date,
            values=values,
            submission_id=submission_id,
            actor=actor,
            check=check,
            # After a lost race the entry read before it is stale: look it up afresh.
            **({} if again else {"state": state}),
        )

    try:
        try:
            return Submission(db.commit_once(save))
        except StaleDataError:
            # Another save of this entry committed between our read and our write.
            db.session.rollback()
            result = save(True)
            db.session.commit()
            return Submission(result)
    except SubmissionConflict:
        return Submission(None, {"submission_id": str(CONFLICT)}, 409)
    except PreconditionFailed as refused:
        status = 428 if refused.required else 412
        return Submission(None, {"version": str(PRECONDITION[status])}, status, refused.entry)


PRECONDITION = {
    412: _l(
        "This diary day was changed elsewhere since you opened it. Look at what is saved now, then make your changes again."
    ),
    428: _l("This diary day already has an entry: say which version you are changing."),
}


def _check_version(entry: DiaryEntry | None, check: VersionCheck) -> None:
    if not check.sent:
        if entry is not None:
            raise PreconditionFailed(entry, required=True)
        return
    if entry is None or (check.version is not None and check.version != entry.version):
        raise PreconditionFailed(entry)


@dataclass(frozen=True)
class SaveResult:
    entry: DiaryEntry
    created: bool
    replayed: bool = False


def record_entry(
    *,
    patient: Patient,
    local_date: date,
    values: DiaryValues,
    submission_id: uuid.UUID,
    actor: User,
    state: writes.DayState | None = None,
    check: VersionCheck | None = None,
) -> SaveResult:
    """Create or amend the patient's entry for `local_date`, keeping a revision of what changed.

    Idempotent on `submission_id`: a repeat with the same content returns the same entry;
    different content raises SubmissionConflict and writes nothing. `state` is what
    `writes.day_state` read for this day and submission id, when the caller already read it;
    left out, it is read here. `check`: see `submit_entry`. Written with Core statements
    (`app.diary.writes`); the entry returned is the session's, as saved.
    """
    digest = values.digest(local_date)
    if state is None:
        state = writes.day_state(
            patient_id=patient.id, local_date=local_date, submission_id=submission_id
        )
    entry = state.entry
    if state.seen_entry_id is not None:
        # The day is unique per patient: the same entry is the same target.
        same_target = entry is not None and state.seen_entry_id == entry.id
        if same_target and state.seen_digest == digest:
            return SaveResult(entry=entry, created=False, replayed=True)  # type: ignore[arg-type]
        raise SubmissionConflict(str(submission_id))

    if check is not None:
        _check_version(entry, check)
    now = utcnow()
    created = entry is None
    if entry is None:
        before = DiaryValues().snapshot()
        entry = writes.insert_entry(
            patient_id=patient.id,
            local_date=local_date,
            values=values,
            submission_id=submission_id,
            actor_id=actor.id,
            now=now,
        )
    else:
        old = queries.values_from_entry(entry)
        before = old.snapshot()
        mode = entry.mode
        if values.mode == EntryMode.QUICK:
            # Quick entry on a day already filled in only touches its three answers.
            quick = {name: getattr(values, name) for name in QUICK_FIELDS}
            values = dataclasses.replace(old, **quick)
        else:
            mode = EntryMode.FULL
        writes.update_entry(entry, values=values, mode=mode, now=now)
    writes.sync_children(entry, values=values, created=created)
    writes.insert_revision(
        entry_id=entry.id,
        submission_id=submission_id,
        digest=digest,
        created=created,
        actor_id=actor.id,
        actor_role=str(actor.role),
        changes=changes_between(before, values.snapshot()),
        now=now,
    )
    # With the request's access event, if it waits (one INSERT for both).
    audit.record_with_pending(
        "diary.entry_create" if created else "diary.entry_amend",
        patient_id=patient.id,
        object_type="diary_entry",
        object_id=str(entry.id),
    )
    entry_saved.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        patient_id=patient.id,
        local_date=local_date,
        entry_id=entry.id,
        created=created,
    )
    return SaveResult(entry=entry, created=created)


@dataclass(frozen=True)
class Observation:
    symptom_level: int | None = None
    activity_level: int | None = None
    sleep_disturbance: int | None = None
    note: str | None = None


def record_observation(
    *,
    patient: Patient,
    local_date: date,
    observation: Observation,
    client_id: uuid.UUID,
    observer: User,
) -> CaregiverObservation:
    """Add what a caregiver observed; idempotent on `client_id` like diary entries."""
    existing = queries.observation_for_client_id(client_id)
    if existing is not None:
        same = (
            existing.patient_id == patient.id
            and existing.local_date == local_date
            and existing.observer_id == observer.id
            and Observation(
                existing.symptom_level,
                existing.activity_level,
                existing.sleep_disturbance,
                existing.note,
            )
            == observation
        )
        if not same:
            raise SubmissionConflict(str(client_id))
        return existing
    record = CaregiverObservation(
        patient_id=patient.id,
        local_date=local_date,
        observer_id=observer.id,
        observer_role=str(observer.role),
        client_id=client_id,
        **dataclasses.asdict(observation),
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        "diary.observation_create",
        patient_id=patient.id,
        object_type="diary_observation",
        object_id=str(record.id),
    )
    return record


def set_tracked_symptoms(
    *, patient: Patient, codes: list[str], custom_labels: list[str]
) -> list[TrackedSymptom]:
    """Replace the symptoms a patient tracks: catalog codes, then their own labels."""
    unknown = [code for code in codes if code not in SYMPTOMS]
    if unknown:
        raise ValueError("unknown symptom codes")
    existing = {
        t.key: t
        for t in db.session.scalars(
            select(TrackedSymptom).where(TrackedSymptom.patient_id == patient.id)
        )
    }
    by_label = {t.custom_label: t for t in existing.values() if t.custom_label}
    keep: list[TrackedSymptom] = []
    for code in dict.fromkeys(codes):
        keep.append(existing.get(code) or TrackedSymptom(patient_id=patient.id, key=code))
    for label in dict.fromkeys(label.strip() for label in custom_labels if label.strip()):
        tracked = by_label.get(label) or TrackedSymptom(
            patient_id=patient.id,
            key=f"{CUSTOM_PREFIX}{uuid.uuid4().hex[:12]}",
            custom_label=label[:60],
        )
        keep.append(tracked)
    kept_ids = {id(t) for t in keep}
    for tracked in existing.values():
        if id(tracked) not in kept_ids:
            db.session.delete(tracked)
    for position, tracked in enumerate(keep):
        tracked.position = position
        db.session.add(tracked)
    db.session.flush()
    audit.record("diary.symptoms_update", patient_id=patient.id)
    return keep
