"""Writes for case conferences. Services flush and audit; the request or the job commits.

Every refusal raises `ConferenceError` with a translated message (and the form field it belongs
to, when there is one) before anything is written."""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.auth.models import Role, User
from app.careteam.models import Patient
from app.conferences import queries, snapshot
from app.conferences.models import (
    AgendaItem,
    Attendance,
    CaseConference,
    ConferenceMember,
    Modality,
)
from app.db import db
from app.web.teamcare import agenda_reasons, stored_reason

TEXT_MAX = 4000


class ConferenceError(Exception):
    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


FROZEN = _l("The agenda is frozen: it is no longer rebuilt.")
STARTED = _l("The conference has started: its agenda can no longer change.")
FINISHED = _l("The conference is finished: nothing in it can change.")
NOT_STARTED = _l("Start the conference first.")
EMPTY_REASON = _l("Give a reason.")


def clean(text: str | None, *, field: str, required: bool = True) -> str | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise ConferenceError(EMPTY_REASON, field)
        return None
    if len(text) > TEXT_MAX:
        raise ConferenceError(_l("Keep it under 4000 characters."), field)
    return text


def _refuse_if_finished(conference: CaseConference) -> None:
    if conference.finished_at is not None:
        raise ConferenceError(FINISHED)


# -- Scheduling and the agenda -----------------------------------------------------------------


def schedule(
    *,
    coordinator: User,
    starts_at: datetime,
    modality: Modality,
    video_url: str | None,
    member_ids: list[uuid.UUID],
    now: datetime,
) -> CaseConference:
    if starts_at <= now:
        raise ConferenceError(_l("Choose a time in the future."), "day")
    if not member_ids:
        raise ConferenceError(_l("Invite at least one member."), "members")
    members = list(
        db.session.scalars(
            select(User).where(
                User.id.in_(set(member_ids)),
                User.role == Role.CLINICIAN,
                User.clinic_id == coordinator.clinic_id,
                User.active.is_(True),
            )
        )
    )
    if len(members) != len(set(member_ids)):
        raise ConferenceError(_l("Choose members of this clinic's care teams."), "members")
    assert coordinator.clinic_id is not None  # noqa: S101 - coordinators belong to a clinic
    conference = CaseConference(
        clinic_id=coordinator.clinic_id,
        scheduled_by_id=coordinator.id,
        starts_at=starts_at,
        modality=modality,
        video_url=video_url if modality == Modality.VIDEO else None,
    )
    db.session.add(conference)
    db.session.flush()
    for member in members:
        db.session.add(ConferenceMember(conference_id=conference.id, member_id=member.id))
    db.session.flush()
    db.session.refresh(conference)
    audit.record(
        "conference.schedule",
        patient_id=None,
        object_type="case_conference",
        object_id=str(conference.id),
    )
    build_agenda(conference=conference, now=now)
    return conference


def build_agenda(*, conference: CaseConference, now: datetime) -> list[AgendaItem]:
    """(Re)build the automatic part of the agenda from the agenda rules; nominations and
    removals stay. Refused once frozen."""
    if conference.frozen_at is not None:
        raise ConferenceError(FROZEN)
    patient_ids = queries.team_patient_ids(conference)
    since = queries.previous_start(conference) or now - queries.LOOKBACK
    found: dict[uuid.UUID, list[dict[str, Any]]] = {}
    # Each reason is kept as its code and params (shown in the viewer's language); its text as
    # built is only a fallback. The clock job and the demo build agendas outside a request:
    # that text is in the default language.
    language = (
        nullcontext()
        if has_request_context()
        else force_locale(current_app.config["DEFAULT_LOCALE"])
    )
    with language:
        reasons = [
            (reason.patient_id, stored_reason(reason))
            for reason in agenda_reasons(
                current_app._get_current_object(),  # type: ignore[attr-defined]
                clinic_id=conference.clinic_id,
                patient_ids=patient_ids,
                since=since,
                until=now,
            )
        ]
    for patient_id, stored in reasons:
        if patient_id in patient_ids:
            listed = found.setdefault(patient_id, [])
            if stored["code"] not in {known["code"] for known in listed}:
                listed.append(stored)
    existing = {
        item.patient_id: item
        for item in db.session.scalars(
            select(AgendaItem).where(AgendaItem.conference_id == conference.id)
        )
    }
    for patient_id, reasons in found.items():
        item = existing.get(patient_id)
        if item is None:
            db.session.add(
                AgendaItem(
                    conference_id=conference.id,
                    patient_id=patient_id,
                    reasons=reasons,
                    created_at=now,
                )
            )
        elif item.reasons != reasons:
            item.reasons = reasons
    for patient_id, item in existing.items():
        if patient_id not in found and item.nominated_by_id is None and item.removed_at is None:
            db.session.delete(item)
    db.session.flush()
    return queries.items(conference)


def freeze(*, conference: CaseConference, now: datetime) -> None:
    build_agenda(conference=conference, now=now)
    conference.frozen_at = now
    db.session.flush()


def ensure_frozen(*, conference: CaseConference, now: datetime) -> bool:
    """Freeze the agenda once it is 24 hours or less before the start (the clock job does this
    for every conference; a page opened first does it too). True when it froze it now."""
    if conference.frozen_at is None and now >= queries.freeze_moment(conference):
        freeze(conference=conference, now=now)
        return True
    return False


def freeze_due(*, now: datetime) -> int:
    due = queries.due_to_freeze(now)
    for conference in due:
        freeze(conference=conference, now=now)
    return len(due)


def _open_agenda(conference: CaseConference) -> None:
    _refuse_if_finished(conference)
    if conference.started_at is not None:
        raise ConferenceError(STARTED)


def nominate(
    *, conference: CaseConference, patient: Patient, by: User, reason: str, now: datetime
) -> AgendaItem:
    _open_agenda(conference)
    text = clean(reason, field="reason")
    if patient.id not in queries.team_patient_ids(conference):
        raise ConferenceError(_l("Choose a patient of the invited members' care teams."), "patient")
    item = db.session.scalar(
        select(AgendaItem).where(
            AgendaItem.conference_id == conference.id, AgendaItem.patient_id == patient.id
        )
    )
    if item is not None and item.removed_at is None and item.nominated_by_id is not None:
        raise ConferenceError(_l("This patient is already nominated."), "patient")
    if item is None:
        item = AgendaItem(
            conference_id=conference.id, patient_id=patient.id, reasons=[], created_at=now
        )
        db.session.add(item)
    item.nominated_by_id, item.nomination = by.id, text
    item.removed_at = item.removed_by_id = item.removal = None
    item.late = conference.frozen_at is not None
    db.session.flush()
    audit.record(
        "conference.nominate",
        patient_id=patient.id,
        object_type="conference_agenda_item",
        object_id=str(item.id),
    )
    return item


def remove(*, conference: CaseConference, item: AgendaItem, by: User, reason: str, now: datetime):
    _open_agenda(conference)
    text = clean(reason, field="reason")
    item.removed_at, item.removed_by_id, item.removal = now, by.id, text
    db.session.flush()
    audit.record(
        "conference.remove",
        patient_id=item.patient_id,
        object_type="conference_agenda_item",
        object_id=str(item.id),
    )


# -- The meeting -------------------------------------------------------------------------------


def start(*, conference: CaseConference, now: datetime) -> None:
    """Start the meeting: the agenda freezes (if it was not) and every listed patient's
    pre-visit summary is copied as it stands now."""
    _open_agenda(conference)
    if conference.frozen_at is None:
        freeze(conference=conference, now=now)
    conference.started_at = now
    agenda = queries.items(conference)
    patients = queries.patients_by_id({item.patient_id for item in agenda})
    for item in agenda:
        item.snapshot = snapshot.take(patients[item.patient_id], now=now)
        item.snapshot_at = now
    db.session.flush()


def finish(*, conference: CaseConference, now: datetime) -> None:
    _refuse_if_finished(conference)
    if conference.started_at is None:
        raise ConferenceError(NOT_STARTED)
    conference.finished_at = now
    db.session.flush()


def record_attendance(*, conference: CaseConference, values: dict[uuid.UUID, Attendance]) -> None:
    _refuse_if_finished(conference)
    for member in conference.members:
        if member.member_id in values:
            member.attendance = values[member.member_id]
    db.session.flush()


def in_meeting(conference: CaseConference) -> None:
    _refuse_if_finished(conference)
    if conference.started_at is None:
        raise ConferenceError(NOT_STARTED)


def save_note(
    *,
    conference: CaseConference,
    item: AgendaItem,
    by: User,
    discussed: str,
    hypotheses: str | None,
    disagreements: str | None,
    uncertainty: str | None,
    now: datetime,
) -> AgendaItem:
    in_meeting(conference)
    on_agenda(conference, item)
    item.discussed = clean(discussed, field="discussed")
    item.hypotheses = clean(hypotheses, field="hypotheses", required=False)
    item.disagreements = clean(disagreements, field="disagreements", required=False)
    item.uncertainty = clean(uncertainty, field="uncertainty", required=False)
    item.note_by_id = by.id
    item.discussed_at = item.discussed_at or now
    if item.snapshot is None:  # nominated after the start is impossible; kept for safety
        patient = db.session.get(Patient, item.patient_id)
        assert patient is not None  # noqa: S101
        item.snapshot, item.snapshot_at = snapshot.take(patient, now=now), now
    db.session.flush()
    audit.record(
        "conference.note",
        patient_id=item.patient_id,
        object_type="conference_agenda_item",
        object_id=str(item.id),
    )
    return item


def on_agenda(conference: CaseConference, item: AgendaItem | None) -> AgendaItem:
    if item is None or item.conference_id != conference.id or item.removed_at is not None:
        raise ConferenceError(_l("This patient is not on the agenda."))
    return item
