"""Alerts in a patient's export: each occurrence, with the answers and revision that raised it
and, when the patient changed them afterwards, the current ones. These are clinical values
without identity (like questionnaire scores), so erasure keeps them. The care team's
acknowledgement note is free text about the person: exported, and removed by erasure. The
patient's alert thresholds (and who set them) are exported too."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

from app.alerts.models import Alert, AlertSettings, AlertSource
from app.auth.models import User
from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter, iso
from app.db import db

KEPT_ON_ERASURE = (AlertSettings,)
"""Erasure keeps the thresholds: numbers and a switch without identity or free text (who set
them is a staff member, not the patient)."""


def _values(snapshot: dict[str, Any] | None) -> str | None:
    if not snapshot:
        return None
    if snapshot.get("items") is not None:
        return ";".join(f"{k}={v}" for k, v in sorted(snapshot["items"].items()))
    return f"total={snapshot.get('total')}"


def _occurrence(source: AlertSource | None) -> dict[str, Any]:
    """What raised this occurrence, and what it was changed to afterwards (if it was)."""
    if source is None:
        return {}
    changed = source.changed
    return {
        "instrument": (source.snapshot or {}).get("instrument"),
        "values_then": _values(source.snapshot),
        "revision_then": (source.snapshot or {}).get("revision"),
        "values_changed_to": _values(source.latest) if changed else None,
        "revision_changed": (source.latest or {}).get("revision") if changed else None,
        "changed_at": iso(source.changed_at) if changed else None,
    }


@exporter(covers=(Alert, AlertSource), sections=("alerts",))
def alerts(patient: Patient) -> list[Section]:
    acknowledger = aliased(User)
    rows = db.session.execute(
        select(Alert, AlertSource, acknowledger.display_name)
        .outerjoin(AlertSource, AlertSource.alert_id == Alert.id)
        .outerjoin(acknowledger, acknowledger.id == Alert.acknowledged_by_id)
        .where(Alert.patient_id == patient.id)
        .order_by(func.coalesce(AlertSource.raised_at, Alert.created_at))
    ).all()
    return [
        Section(
            "alerts",
            [
                {
                    "rule": alert.rule_code,
                    "severity": alert.severity.value,
                    "raised_at": (source.raised_at if source else alert.created_at).isoformat(),
                    "escalated_at": iso(alert.escalated_at),
                    "acknowledged_at": iso(alert.acknowledged_at),
                    "acknowledged_by": acknowledged_by,
                    **_occurrence(source),
                    "note": alert.note,
                }
                for alert, source, acknowledged_by in rows
            ],
        )
    ]


@eraser(covers=(Alert,))
def erase_alert_notes(patient: Patient) -> None:
    db.session.execute(update(Alert).where(Alert.patient_id == patient.id).values(note=None))
    db.session.flush()


@exporter(covers=(AlertSettings,), sections=("alert_thresholds",))
def alert_thresholds(patient: Patient) -> list[Section]:
    """The thresholds the care team set for this patient (none: the defaults apply)."""
    setter = aliased(User)
    rows = db.session.execute(
        select(AlertSettings, setter.display_name)
        .outerjoin(setter, setter.id == AlertSettings.updated_by_id)
        .where(AlertSettings.patient_id == patient.id)
    ).all()
    return [
        Section(
            "alert_thresholds",
            [
                {
                    "days_without_diary": settings.no_diary_days,
                    "symptom_rise_points": settings.symptom_rise_points,
                    "worsening_alerts": settings.worsening_alerts,
                    "set_at": iso(settings.updated_at),
                    "set_by": set_by,
                }
                for settings, set_by in rows
            ],
        )
    ]
