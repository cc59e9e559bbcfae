"""Create and acknowledge alerts. Services flush; the caller commits."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from app import audit
from app.alerts.models import Alert, Severity
from app.auth.models import User
from app.db import db, utcnow


def raise_alert(
    *,
    patient_id: uuid.UUID,
    rule_code: str,
    severity: Severity,
    source_type: str,
    source_id: uuid.UUID,
    now: datetime | None = None,
) -> Alert:
    """One alert per rule and source object: raising it again returns the existing one."""
    existing = db.session.scalar(
        select(Alert).where(
            Alert.rule_code == rule_code,
            Alert.source_type == source_type,
            Alert.source_id == source_id,
        )
    )
    if existing is not None:
        return existing
    alert = Alert(
        patient_id=patient_id,
        rule_code=rule_code,
        severity=severity,
        source_type=source_type,
        source_id=source_id,
        created_at=now or utcnow(),
    )
    db.session.add(alert)
    db.session.flush()
    audit.record(
        "alert.create", patient_id=patient_id, object_type="alert", object_id=str(alert.id)
    )
    return alert


def acknowledge(*, alert: Alert, actor: User, note: str, now: datetime | None = None) -> Alert:
    """Record who acknowledged the alert, when, and their note (first acknowledgement wins)."""
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now or utcnow()
        alert.acknowledged_by_id = actor.id
        alert.note = note.strip()
        db.session.flush()
        audit.record(
            "alert.acknowledge",
            patient_id=alert.patient_id,
            object_type="alert",
            object_id=str(alert.id),
        )
    return alert
