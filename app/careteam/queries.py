"""Read-side queries over clinics, care teams and caregivers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.access import active_grant_clause
from app.auth.models import User
from app.careteam.models import (
    CaregiverLink,
    CareTeamMembership,
    ConsentGrant,
    ConsentScope,
    Patient,
)
from app.db import db, utcnow


def patient_for_user(user: User) -> Patient | None:
    return db.session.scalar(select(Patient).where(Patient.user_id == user.id))


def patients_on_team(clinician: User) -> list[Patient]:
    query = (
        select(Patient)
        .join(CareTeamMembership, CareTeamMembership.patient_id == Patient.id)
        .join(Patient.user)
        .options(contains_eager(Patient.user))
        .where(CareTeamMembership.member_id == clinician.id, CareTeamMembership.ended_at.is_(None))
        .order_by(User.display_name)
    )
    return list(db.session.scalars(query).unique())


def patients_of_clinic(coordinator: User) -> list[Patient]:
    query = (
        select(Patient)
        .join(Patient.user)
        .options(contains_eager(Patient.user))
        .where(Patient.clinic_id == coordinator.clinic_id)
        .order_by(User.display_name)
    )
    return list(db.session.scalars(query).unique())


@dataclass(frozen=True)
class CaredFor:
    patient: Patient
    relationship_label: str
    scopes: frozenset[ConsentScope]


def patients_cared_for(caregiver: User) -> list[CaredFor]:
    """Patients who currently grant this caregiver at least one scope."""
    rows = db.session.execute(
        select(CaregiverLink, ConsentGrant.scope)
        .join(ConsentGrant, ConsentGrant.link_id == CaregiverLink.id)
        .where(CaregiverLink.caregiver_id == caregiver.id, active_grant_clause(utcnow()))
    ).all()
    scopes: dict[CaregiverLink, set[ConsentScope]] = {}
    for link, scope in rows:
        scopes.setdefault(link, set()).add(scope)
    return sorted(
        (
            CaredFor(link.patient, link.relationship_label, frozenset(s))
            for link, s in scopes.items()
        ),
        key=lambda item: item.patient.display_name,
    )


@dataclass(frozen=True)
class TeamMember:
    user: User
    is_lead: bool


def care_team(patient: Patient) -> list[TeamMember]:
    rows = db.session.execute(
        select(User, CareTeamMembership.is_lead)
        .join(CareTeamMembership, CareTeamMembership.member_id == User.id)
        .where(CareTeamMembership.patient_id == patient.id, CareTeamMembership.ended_at.is_(None))
        .order_by(CareTeamMembership.is_lead.desc(), User.display_name)
    ).all()
    return [TeamMember(user, is_lead) for user, is_lead in rows]


def users_by_id(ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
