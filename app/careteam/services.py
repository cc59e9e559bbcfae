"""Writes for enrollment, care teams, caregivers and consent. Services flush; callers commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app import audit
from app.access import active_grant_clause
from app.auth.models import User
from app.careteam.models import (
    CaregiverLink,
    CareTeamMembership,
    Clinic,
    ConsentGrant,
    ConsentScope,
    Patient,
)
from app.db import db, utcnow
from app.security import blind_index, normalize_phone


def find_user_by_phone(raw: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.phone_index == blind_index(normalize_phone(raw)))
    )


def enroll_existing_user(*, user: User, clinic: Clinic, readable_locales: list[str]) -> Patient:
    patient = Patient(user_id=user.id, clinic_id=clinic.id, readable_locales=readable_locales)
    db.session.add(patient)
    db.session.flush()
    return audit.add(patient, "patient.enroll", patient_id=patient.id, object_type="patient")


def add_to_team(*, patient: Patient, member: User, is_lead: bool = False) -> CareTeamMembership:
    existing = db.session.scalar(
        select(CareTeamMembership).where(
            CareTeamMembership.patient_id == patient.id,
            CareTeamMembership.member_id == member.id,
            CareTeamMembership.ended_at.is_(None),
        )
    )
    if existing is not None:
        existing.is_lead = is_lead
        db.session.flush()
        return existing
    membership = CareTeamMembership(patient_id=patient.id, member_id=member.id, is_lead=is_lead)
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "care_team.add", patient_id=patient.id, object_type="user", object_id=str(member.id)
    )
    return membership


def remove_from_team(*, patient: Patient, member: User, now: datetime | None = None) -> None:
    for membership in db.session.scalars(
        select(CareTeamMembership).where(
            CareTeamMembership.patient_id == patient.id,
            CareTeamMembership.member_id == member.id,
            CareTeamMembership.ended_at.is_(None),
        )
    ):
        membership.ended_at = now or utcnow()
        audit.record(
            "care_team.remove", patient_id=patient.id, object_type="user", object_id=str(member.id)
        )
    db.session.flush()


def link_caregiver(*, patient: Patient, caregiver: User, relationship_label: str) -> CaregiverLink:
    link = CaregiverLink(
        patient_id=patient.id, caregiver_id=caregiver.id, relationship_label=relationship_label
    )
    return audit.add(link, "caregiver.link", patient_id=patient.id, object_type="caregiver_link")


def grant_scope(
    *,
    link: CaregiverLink,
    scope: ConsentScope,
    granted_by: User,
    expires_at: datetime | None = None,
) -> ConsentGrant:
    """Grant a scope unless an active grant of it already exists."""
    active = db.session.scalar(
        select(ConsentGrant).where(
            ConsentGrant.link_id == link.id,
            ConsentGrant.scope == scope,
            active_grant_clause(utcnow()),
        )
    )
    if active is not None:
        return active
    grant = ConsentGrant(
        link_id=link.id, scope=scope, granted_by_id=granted_by.id, expires_at=expires_at
    )
    return audit.add(
        grant, "consent.grant", patient_id=link.patient_id, object_type="consent_grant"
    )


def revoke_scope(*, link: CaregiverLink, scope: ConsentScope, now: datetime | None = None) -> None:
    now = now or utcnow()
    for grant in db.session.scalars(
        select(ConsentGrant).where(
            ConsentGrant.link_id == link.id, ConsentGrant.scope == scope, active_grant_clause(now)
        )
    ):
        grant.revoked_at = now
        audit.record(
            "consent.revoke",
            patient_id=link.patient_id,
            object_type="consent_grant",
            object_id=str(grant.id),
        )
    db.session.flush()
