"""Reads over alerts and crisis resources."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import joinedload

from app.alerts.models import Alert, AlertSource, CrisisResource, Severity
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


def occurrences(alerts: list[Alert]) -> dict[uuid.UUID, list[AlertSource]]:
    """Each alert's occurrences (what raised it, and each repeat), newest first; one query."""
    found: dict[uuid.UUID, list[AlertSource]] = {alert.id: [] for alert in alerts}
    if found:
        for source in db.session.scalars(
            select(AlertSource)
            .where(AlertSource.alert_id.in_(list(found)))
            .order_by(AlertSource.raised_at.desc(), AlertSource.id)
        ):
            found[source.alert_id].append(source)
    return found


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


def routed() -> ColumnElement[bool]:
    """THE routing of an open alert, as a condition over `Alert`, `Patient` and `User`: the
    clinic's coordinators, the patient's lead clinician(s) and, once an urgent alert has
    escalated, every clinician on the patient's team. The inbox (and its badge) and the
    urgent-alert email (`notify.py`) both use this, so whoever is emailed finds the alert."""
    on_team = exists().where(
        CareTeamMembership.patient_id == Patient.id,
        CareTeamMembership.member_id == User.id,
        CareTeamMembership.ended_at.is_(None),
        CareTeamMembership.is_lead.is_(True) | Alert.escalated_at.is_not(None),
    )
    return (
        User.active.is_(True)
        & Alert.acknowledged_at.is_(None)
        & or_(
            (User.role == Role.COORDINATOR) & (User.clinic_id == Patient.clinic_id),
            (User.role == Role.CLINICIAN) & on_team,
        )
    )


def _routed_to(user: User) -> Select[tuple[Alert, Patient]] | None:
    """Open alerts routed to this person (see `routed`)."""
    if user.role not in (Role.COORDINATOR, Role.CLINICIAN):
        return None
    return (
        select(Alert, Patient)
        .join(Patient, Patient.id == Alert.patient_id)
        .join(User, User.id == user.id)
        .where(routed())
    )


def recipients(alert: Alert) -> list[User]:
    """Everyone this open alert is routed to who has an email address (see `routed`)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Alert, Alert.id == alert.id)
            .join(Patient, Patient.id == Alert.patient_id)
            .where(routed(), User.email.is_not(None))
            .order_by(User.id)
        )
    )


def inbox_for(user: User) -> list[InboxItem]:
    """Urgent and escalated first, then the most recently raised (a new occurrence of an open
    alert brings it forward)."""
    query = _routed_to(user)
    if query is None:
        return []
    rows = db.session.execute(
        query.options(joinedload(Patient.user))
        .order_by(
            (Alert.severity == Severity.URGENT).desc(),
            Alert.escalated_at.is_(None),
            func.coalesce(Alert.last_raised_at, Alert.created_at).desc(),
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
