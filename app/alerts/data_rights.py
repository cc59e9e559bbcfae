"""Alerts in a patient's export: each occurrence, with the answers and revision that raised it
and, when the patient changed them afterwards, the current ones. These are clinical values
without identity (like questionnaire scores), so erasure keeps them. The care team's
acknowledgement note is free text about the person: exported, and removed by erasure."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from app.alerts.models import Alert, AlertSource
from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db


def _values(snapshot: dict[str, Any] | None) -> str | None:
    if not snapshot:
        return None
    if snapshot.get("items") is not None:
        return ";".join(f"{k}={v}" for k, v in sorted(snapshot["items"].items()))
    return f"total={snapshot.get('total')}"


@exporter(covers=(Alert, AlertSource))
def alerts(patient: Patient) -> list[Section]:
    rows = db.session.execute(
        select(Alert, AlertSource)
        .join(AlertSource, AlertSource.alert_id == Alert.id)
        .where(Alert.patient_id == patient.id)
        .order_by(AlertSource.raised_at)
    ).all()
    return [
        Section(
            "alerts",
            [
                {
                    "rule": alert.rule_code,
                    "severity": alert.severity.value,
                    "raised_at": source.raised_at.isoformat(),
                    "acknowledged_at": alert.acknowledged_at.isoformat()
                    if alert.acknowledged_at
                    else None,
                    "instrument": (source.snapshot or {}).get("instrument"),
                    "values_then": _values(source.snapshot),
                    "revision_then": (source.snapshot or {}).get("revision"),
                    "values_changed_to": _values(source.latest) if source.changed else None,
                    "revision_changed": (source.latest or {}).get("revision")
                    if source.changed
                    else None,
                    "changed_at": source.changed_at.isoformat()
                    if source.changed and source.changed_at
                    else None,
                    "note": alert.note,
                }
                for alert, source in rows
            ],
        )
    ]


@eraser(covers=(Alert,))
def erase_alert_notes(patient: Patient) -> None:
    db.session.execute(update(Alert).where(Alert.patient_id == patient.id).values(note=None))
    db.session.flush()
