"""Reads over alerts and crisis resources."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.alerts.models import Alert, CrisisResource
from app.careteam.models import Patient
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
