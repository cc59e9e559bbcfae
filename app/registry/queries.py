"""Reads of the registry: whose patients a staff member lists, and the agenda's windowed facts.
Each function is one query whatever the number of patients."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, or_, select

from app.alerts.models import Alert, Severity
from app.auth.models import Role, User
from app.careteam.models import CareTeamMembership, Patient
from app.db import db
from app.instruments.models import Response
from app.registry.rules import RaisedAlert
from app.trends.caseload import Listed

PHQ9 = "phq9"


def _patients():
    """Active patients as plain columns (no ORM objects: 2,000 of them cost about a second)."""
    return (
        select(
            Patient.id,
            User.display_name,
            Patient.enrolled_at,
            Patient.menstruates,
            User.timezone,
        )
        .join(User, User.id == Patient.user_id)
        .where(User.active.is_(True))
        .order_by(User.display_name, Patient.id)
    )


def _listed(query) -> list[Listed]:
    return [Listed(*row) for row in db.session.execute(query)]


def patients_for(viewer: User) -> list[Listed]:
    """A coordinator: the clinic's active patients; a clinician: the active patients whose care
    team they are on (in their clinic); anyone else: none."""
    if viewer.clinic_id is None:
        return []
    query = _patients().where(Patient.clinic_id == viewer.clinic_id)
    if viewer.role == Role.CLINICIAN:
        query = query.where(
            select(CareTeamMembership.id)
            .where(
                CareTeamMembership.patient_id == Patient.id,
                CareTeamMembership.member_id == viewer.id,
                CareTeamMembership.ended_at.is_(None),
            )
            .exists()
        )
    elif viewer.role != Role.COORDINATOR:
        return []

    return _listed(query)


def patients_by_ids(clinic_id: uuid.UUID, ids: Collection[uuid.UUID]) -> list[Listed]:
    if not ids:
        return []

    query = _patients().where(Patient.clinic_id == clinic_id, Patient.id.in_(list(ids)))
    return _listed(query)


def raised_alerts(
    ids: Collection[uuid.UUID], *, since: datetime, until: datetime
) -> list[RaisedAlert]:
    """Alerts first raised or raised again in [since, until]."""
    if not ids:
        return []

    rows = db.session.execute(
        select(Alert.patient_id, Alert.rule_code, Alert.severity).where(
            Alert.patient_id.in_(list(ids)),
            or_(
                and_(Alert.created_at >= since, Alert.created_at <= until),
                and_(Alert.last_raised_at >= since, Alert.last_raised_at <= until),
            ),
        )
    )
    return [RaisedAlert(pid, code, severity == Severity.URGENT) for pid, code, severity in rows]


def item9_positives(
    ids: Collection[uuid.UUID], *, since: datetime, until: datetime
) -> list[uuid.UUID]:
    """Patients who submitted a PHQ-9 with a critical answer (item 9, thoughts of being better
    off dead or of self-harm: the definition's only critical item) in [since, until]."""
    if not ids:
        return []

    rows = db.session.scalars(
        select(Response.patient_id)
        .where(
            Response.patient_id.in_(list(ids)),
            Response.instrument_id == PHQ9,
            Response.critical.is_(True),
            Response.submitted_at >= since,
            Response.submitted_at <= until,
        )
        .distinct()
    )
    return list(rows)
