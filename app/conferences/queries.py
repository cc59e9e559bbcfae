"""Reads for case conferences: who may see what, agendas, open actions, review dates."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.access import Action, may
from app.auth.models import Role, User
from app.careteam.models import CareTeamMembership, Patient
from app.conferences.models import (
    ActionKind,
    ActionStatus,
    AgendaItem,
    CaseConference,
    ConferenceAction,
    ConferenceMember,
)
from app.db import among, db

LOOKBACK = timedelta(weeks=4)
FREEZE_BEFORE = timedelta(hours=24)


def freeze_moment(conference: CaseConference) -> datetime:
    return conference.starts_at - FREEZE_BEFORE


def member_ids(conference: CaseConference) -> set[uuid.UUID]:
    return {m.member_id for m in conference.members}


def may_see(user: User, conference: CaseConference) -> bool:
    """Invited members and the clinic's coordinators see a conference (its patients are
    filtered further by `visible_items`)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.COORDINATOR:
        return user.clinic_id == conference.clinic_id
    return user.role == Role.CLINICIAN and user.id in member_ids(conference)


def may_manage(user: User, conference: CaseConference) -> bool:
    return user.role == Role.COORDINATOR and user.clinic_id == conference.clinic_id


def conference(conference_id: uuid.UUID) -> CaseConference | None:
    return db.session.get(CaseConference, conference_id)


def for_user(user: User) -> list[CaseConference]:
    """Conferences the user may see, newest first."""
    query = select(CaseConference).order_by(CaseConference.starts_at.desc())
    if user.role == Role.COORDINATOR:
        query = query.where(CaseConference.clinic_id == user.clinic_id)
    else:
        query = query.join(ConferenceMember).where(ConferenceMember.member_id == user.id)
    return list(db.session.scalars(query.limit(100)))


def previous_start(conference: CaseConference) -> datetime | None:
    return db.session.scalar(
        select(func.max(CaseConference.starts_at)).where(
            CaseConference.clinic_id == conference.clinic_id,
            CaseConference.starts_at < conference.starts_at,
            CaseConference.id != conference.id,
        )
    )


def team_patient_ids(conference: CaseConference) -> frozenset[uuid.UUID]:
    """Active patients of the invited members' care teams, in the conference's clinic."""
    rows = db.session.scalars(
        select(CareTeamMembership.patient_id)
        .join(Patient, Patient.id == CareTeamMembership.patient_id)
        .where(
            CareTeamMembership.member_id.in_(member_ids(conference)),
            CareTeamMembership.ended_at.is_(None),
            Patient.clinic_id == conference.clinic_id,
        )
        .distinct()
    )
    return frozenset(rows)


def items(conference: CaseConference, *, removed: bool = False) -> list[AgendaItem]:
    query = select(AgendaItem).where(AgendaItem.conference_id == conference.id)
    query = query.where(
        AgendaItem.removed_at.is_not(None) if removed else AgendaItem.removed_at.is_(None)
    )
    return list(db.session.scalars(query.order_by(AgendaItem.created_at)))


def patients_by_id(ids: set[uuid.UUID]) -> dict[uuid.UUID, Patient]:
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Patient).where(Patient.id.in_(ids)))}


def visible(user: User, agenda: list[AgendaItem]) -> list[tuple[AgendaItem, Patient]]:
    """Agenda items whose patient `user` may see (care-team members, clinic coordinators)."""
    patients = patients_by_id({item.patient_id for item in agenda})
    return [
        (item, patients[item.patient_id])
        for item in agenda
        if may(user, Action.VIEW_SUMMARY, patients[item.patient_id])
    ]


def nominable(user: User, conference: CaseConference) -> dict[uuid.UUID, Patient]:
    """Patients `user` may put on the agenda: of the invited teams, and visible to them."""
    patients = patients_by_id(set(team_patient_ids(conference)))
    return {pid: p for pid, p in patients.items() if may(user, Action.VIEW_SUMMARY, p)}


def item(conference: CaseConference, item_id: uuid.UUID) -> AgendaItem | None:
    found = db.session.get(AgendaItem, item_id)
    return found if found is not None and found.conference_id == conference.id else None


def actions_for(conference: CaseConference) -> dict[uuid.UUID, list[ConferenceAction]]:
    by_item: dict[uuid.UUID, list[ConferenceAction]] = {}
    for action in db.session.scalars(
        select(ConferenceAction)
        .where(ConferenceAction.conference_id == conference.id)
        .order_by(ConferenceAction.created_at)
    ):
        by_item.setdefault(action.item_id, []).append(action)
    return by_item


def open_actions_of(user: User) -> list[ConferenceAction]:
    return list(
        db.session.scalars(
            select(ConferenceAction)
            .where(
                ConferenceAction.owner_id == user.id, ConferenceAction.status == ActionStatus.OPEN
            )
            .order_by(ConferenceAction.due_on)
        )
    )


def overdue_unreminded(today: date) -> list[ConferenceAction]:
    return list(
        db.session.scalars(
            select(ConferenceAction).where(
                ConferenceAction.status == ActionStatus.OPEN,
                ConferenceAction.due_on < today,
                ConferenceAction.reminded_at.is_(None),
            )
        )
    )


def due_to_freeze(now: datetime) -> list[CaseConference]:
    return list(
        db.session.scalars(
            select(CaseConference).where(
                CaseConference.frozen_at.is_(None),
                CaseConference.starts_at <= now + FREEZE_BEFORE,
            )
        )
    )


def last_review(patient: Patient) -> tuple[CaseConference, AgendaItem] | None:
    row = db.session.execute(
        select(CaseConference, AgendaItem)
        .join(AgendaItem, AgendaItem.conference_id == CaseConference.id)
        .where(
            AgendaItem.patient_id == patient.id,
            AgendaItem.discussed_at.is_not(None),
            AgendaItem.removed_at.is_(None),
            CaseConference.finished_at.is_not(None),
        )
        .order_by(CaseConference.starts_at.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def plan_changes_from(item: AgendaItem) -> list[ConferenceAction]:
    return list(
        db.session.scalars(
            select(ConferenceAction).where(
                ConferenceAction.item_id == item.id,
                ConferenceAction.kind == ActionKind.CARE_PLAN,
                ConferenceAction.care_plan_version_id.is_not(None),
            )
        )
    )


def last_discussed(patient_ids: frozenset[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """Per patient, when their last conference discussion took place (one query)."""
    if not patient_ids:
        return {}
    rows = db.session.execute(
        select(AgendaItem.patient_id, func.max(AgendaItem.discussed_at))
        .where(
            among(AgendaItem.patient_id, patient_ids),
            AgendaItem.discussed_at.is_not(None),
            AgendaItem.removed_at.is_(None),
        )
        .group_by(AgendaItem.patient_id)
    )
    return {row[0]: row[1] for row in rows}
