"""Raise, attach, acknowledge and escalate alerts; per-patient thresholds. Services flush only."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app import audit
from app.alerts.models import NOTE_MAX, Alert, AlertSettings, AlertSource, Severity
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.signals import alert_raised


def raise_alert(
    *,
    patient_id: uuid.UUID,
    rule_code: str,
    severity: Severity,
    source_type: str,
    source_id: uuid.UUID,
    snapshot: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Alert:
    """Idempotent per source; one open alert per rule and patient, repeats attach to it.

    `snapshot` keeps what the source looked like when it raised the alert (e.g. the answers
    and the response's revision), so a later change by the patient does not rewrite history.
    A new source for an open urgent alert (a second critical answer) is emailed again."""
    now = now or utcnow()
    known = db.session.scalar(
        select(Alert)
        .join(AlertSource, AlertSource.alert_id == Alert.id)
        .where(
            AlertSource.rule_code == rule_code,
            AlertSource.source_type == source_type,
            AlertSource.source_id == source_id,
        )
    )
    if known is not None:
        return known
    alert = open_alert(patient_id, rule_code)
    if alert is None:
        alert = Alert(
            patient_id=patient_id,
            rule_code=rule_code,
            severity=severity,
            source_type=source_type,
            source_id=source_id,
            created_at=now,
            last_raised_at=now,
            repeat_count=0,
        )
        db.session.add(alert)
        db.session.flush()
        action = "alert.create"
    else:
        alert.repeat_count += 1
        alert.last_raised_at = now
        if severity == Severity.URGENT:
            alert.severity = Severity.URGENT
        action = "alert.repeat"
        if alert.severity == Severity.URGENT and alert.notified_at is not None:
            alert.notified_at = None  # `notify-alerts` emails everyone it is routed to again
            audit.record(
                "alert.notify_again",
                patient_id=patient_id,
                object_type="alert",
                object_id=str(alert.id),
            )
    db.session.add(
        AlertSource(
            alert_id=alert.id,
            rule_code=rule_code,
            source_type=source_type,
            source_id=source_id,
            raised_at=now,
            snapshot=snapshot,
        )
    )
    db.session.flush()
    audit.record(action, patient_id=patient_id, object_type="alert", object_id=str(alert.id))
    alert_raised.send(
        alert,
        rule_code=rule_code,
        created=action == "alert.create",
        source_type=source_type,
        source_id=source_id,
    )
    return alert


def record_source_change(
    *,
    rule_code: str,
    source_type: str,
    source_id: uuid.UUID,
    latest: dict[str, Any],
    now: datetime | None = None,
) -> AlertSource | None:
    """The object that raised an alert changed afterwards (the patient changed the answer):
    keep its current state beside the snapshot taken when it raised the alert. Only a change
    of the values that matter (`items`) is recorded, not every later save."""
    source = db.session.scalar(
        select(AlertSource).where(
            AlertSource.rule_code == rule_code,
            AlertSource.source_type == source_type,
            AlertSource.source_id == source_id,
        )
    )
    if source is None:
        return None
    seen = source.latest or source.snapshot or {}
    if seen.get("items") == latest.get("items"):
        return source
    source.latest, source.changed_at = latest, now or utcnow()
    db.session.flush()
    audit.record(
        "alert.source_change",
        patient_id=db.session.get(Alert, source.alert_id).patient_id,  # type: ignore[union-attr]
        object_type="alert",
        object_id=str(source.alert_id),
    )
    return source


def open_alert(patient_id: uuid.UUID, rule_code: str) -> Alert | None:
    return db.session.scalar(
        select(Alert).where(
            Alert.patient_id == patient_id,
            Alert.rule_code == rule_code,
            Alert.acknowledged_at.is_(None),
        )
    )


def acknowledge(*, alert: Alert, actor: User, note: str, now: datetime | None = None) -> Alert:
    """Record who acknowledged the alert, when, and their note (first acknowledgement wins)."""
    if len(note.strip()) > NOTE_MAX:
        raise ValueError(f"an acknowledgement note has at most {NOTE_MAX} characters")
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


def escalate_due(*, delay: timedelta, now: datetime | None = None) -> list[Alert]:
    """Escalate urgent alerts left unacknowledged for `delay` (each once); the clock's
    `notify-alerts` job then emails the wider team (app/alerts/notify.py)."""
    now = now or utcnow()
    due = list(
        db.session.scalars(
            select(Alert)
            .where(
                Alert.severity == Severity.URGENT,
                Alert.acknowledged_at.is_(None),
                Alert.escalated_at.is_(None),
                Alert.created_at <= now - delay,
            )
            .with_for_update(skip_locked=True)
        )
    )
    for alert in due:
        alert.escalated_at = now
        audit.record(
            "alert.escalate",
            patient_id=alert.patient_id,
            object_type="alert",
            object_id=str(alert.id),
        )
    db.session.flush()
    return due


def settings_for(patient: Patient) -> AlertSettings:
    """The patient's thresholds (defaults when the team has not set any; not persisted)."""
    return db.session.get(AlertSettings, patient.id) or AlertSettings(
        patient_id=patient.id, no_diary_days=5, symptom_rise_points=2, worsening_alerts=True
    )


def save_settings(
    *,
    patient: Patient,
    actor: User,
    no_diary_days: int,
    symptom_rise_points: int,
    worsening_alerts: bool,
) -> AlertSettings:
    settings = db.session.get(AlertSettings, patient.id)
    if settings is None:
        settings = AlertSettings(patient_id=patient.id)
        db.session.add(settings)
    settings.no_diary_days = no_diary_days
    settings.symptom_rise_points = symptom_rise_points
    settings.worsening_alerts = worsening_alerts
    settings.updated_at, settings.updated_by_id = utcnow(), actor.id
    db.session.flush()
    audit.record(
        "alert.settings",
        patient_id=patient.id,
        object_type="alert_settings",
        object_id=str(patient.id),
    )
    return settings
