from __future__ import annotations

import uuid

from flask import current_app

from app import audit
from app.auth.models import User
from app.careteam.models import BreakGlassGrant, Patient
from app.db import db, utcnow


def break_glass(*, admin: User, patient_ref: str, reason: str) -> Patient | None:
    """Grant an administrator time-limited, read-only access to one record, and log it."""
    patient = db.session.get(Patient, uuid.UUID(patient_ref.strip()))
    if patient is None:
        return None
    grant = BreakGlassGrant(
        admin_id=admin.id,
        patient_id=patient.id,
        reason=reason.strip(),
        expires_at=utcnow() + current_app.config["BREAK_GLASS_DURATION"],
    )
    audit.add(grant, "patient.break_glass", patient_id=patient.id, object_type="break_glass")
    return patient
