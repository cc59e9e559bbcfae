"""Alerts in a patient's export, with the care team's acknowledgement notes; erasure removes the
notes (free text about the person) and keeps the alerts themselves as pseudonymous care data."""

from __future__ import annotations

from sqlalchemy import select, update

from app.alerts.models import Alert
from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db


@exporter
def alerts(patient: Patient) -> list[Section]:
    rows = db.session.scalars(
        select(Alert).where(Alert.patient_id == patient.id).order_by(Alert.created_at)
    ).all()
    return [
        Section(
            "alerts",
            [
                {
                    "rule": alert.rule_code,
                    "severity": alert.severity.value,
                    "raised_at": alert.created_at.isoformat(),
                    "acknowledged_at": alert.acknowledged_at.isoformat()
                    if alert.acknowledged_at
                    else None,
                    "note": alert.note,
                }
                for alert in rows
            ],
        )
    ]


@eraser
def erase_alert_notes(patient: Patient) -> None:
    db.session.execute(update(Alert).where(Alert.patient_id == patient.id).values(note=None))
    db.session.flush()
