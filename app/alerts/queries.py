"""Reads over alerts and crisis resources."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from app.alerts.models import Alert, CrisisResource, Severity
from app.auth.models import Role, User
from app.careteam.models import CareTeamMembership, Patient
from app.db import db


def alerts_for(patient: Patient, *, limit: int = 20) -> list[Alert]:
    return list(
        db.session.scalars(
            select(Alert)
            .where(Alert.patient_id == patient.id)
            .order_by(Alert.acknowledged_at.is_not(None), Alert.created_at.desc())
            .limit(limit)
        )
    )


def alert_for(patient: Patient, alert_id: uuid.UUID) -> Alert | None:
    return db.session.scalar(
        select(Alert).where(Alert.id == alert_id, Alert.patient_id == patient.id)
    )


def crisis_resources(clinic_id: uuid.UUID, locales: list[str]) -> list[CrisisResource]:
    """The clinic's entries for the first of `locales` that has any."""
    rows = list(
        db.session.scalars(
            select(CrisisResource)
            .where(CrisisResource.clinic_id == clinic_id, CrisisResource.locale.in_(locales))
            .order_by(CrisisResource.position, CrisisResource.label)
        )
    )
    for locale in locales:
        chosen = [row for row in rows if row.locale == locale]
        if chosen:
            return chosen
    return []


@dataclass(frozen=True)
class InboxItem:
    alert: Alert
    patient: Patient


def _routed_to(user: User) -> Select[tuple[Alert, Patient]] | None:
    """Open alerts routed to this person: a lead clinician's patients, a coordinator's clinic."""
    query = (
        select(Alert, Patient)
        .join(Patient, Patient.id == Alert.patient_id)
        .where(Alert.acknowledged_at.is_(None))
    )
    if user.role == Role.COORDINATOR:
        return query.where(Patient.clinic_id == user.clinic_id)
    if user.role == Role.CLINICIAN:
        return query.join(
            CareTeamMembership,
            (CareTeamMembership.patient_id == Patient.id)
            & (CareTeamMembership.member_id == user.id)
            & CareTeamMembership.ended_at.is_(None)
            & CareTeamMembership.is_lead.is_(True),
        )
    return None


def inbox_for(user: User) -> list[InboxItem]:
    """Urgent and escalated first, then the oldest."""
    query = _routed_to(user)
    if query is None:
        return []
    rows = db.session.execute(
        query.options(joinedload(Patient.user))
        .order_by(
            (Alert.severity == Severity.URGENT).desc(),
            Alert.escalated_at.is_(None),
            Alert.created_at,
        )
        .limit(200)
    ).all()
    return [InboxItem(alert, patient) for alert, patient in rows]


def open_count_for(user: User) -> int:
    """For the navigation badge on every page: one COUNT, nothing loaded."""
    query = _routed_to(user)
    if query is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
