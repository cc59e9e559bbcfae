"""Read-side queries over clinics, care teams and caregivers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from app.access import active_grant_clause
from app.auth.models import Role, User
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
    """For the clinician's list: phone numbers are not read (nor decrypted, one per patient)."""
    query = (
        select(Patient)
        .join(CareTeamMembership, CareTeamMembership.patient_id == Patient.id)
        .join(Patient.user)
        .options(contains_eager(Patient.user).defer(User.phone))
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


def team_history(patient: Patient) -> list[CareTeamMembership]:
    """Every membership, current and ended, newest first."""
    return list(
        db.session.scalars(
            select(CareTeamMembership)
            .where(CareTeamMembership.patient_id == patient.id)
            .options(selectinload(CareTeamMembership.member))
            .order_by(CareTeamMembership.started_at.desc())
        )
    )


def staff_who_can_join(patient: Patient) -> list[User]:
    """Clinicians and coordinators of the patient's clinic not on the team now."""
    on_team = select(CareTeamMembership.member_id).where(
        CareTeamMembership.patient_id == patient.id, CareTeamMembership.ended_at.is_(None)
    )
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.clinic_id == patient.clinic_id,
                User.role.in_([Role.CLINICIAN, Role.COORDINATOR]),
                User.active.is_(True),
                User.id.not_in(on_team),
            )
            .order_by(User.display_name)
        )
    )


@dataclass(frozen=True)
class CaregiverSharing:
    link: CaregiverLink
    grants: list[ConsentGrant]

    @property
    def scopes(self) -> frozenset[ConsentScope]:
        return frozenset(grant.scope for grant in self.grants)

    @property
    def expires_at(self):
        return min((g.expires_at for g in self.grants if g.expires_at), default=None)


def caregivers_of(patient: Patient) -> list[CaregiverSharing]:
    """Each caregiver linked to the patient with the grants active now (possibly none)."""
    links = db.session.scalars(
        select(CaregiverLink)
        .where(CaregiverLink.patient_id == patient.id)
        .options(selectinload(CaregiverLink.caregiver))
        .order_by(CaregiverLink.created_at)
    ).all()
    grants = db.session.scalars(
        select(ConsentGrant).where(
            ConsentGrant.link_id.in_([link.id for link in links]), active_grant_clause(utcnow())
        )
    ).all()
    by_link: dict[uuid.UUID, list[ConsentGrant]] = {}
    for grant in grants:
        by_link.setdefault(grant.link_id, []).append(grant)
    return [CaregiverSharing(link, by_link.get(link.id, [])) for link in links]
