"""The upcoming-follow-ups block of the clinician's home page (audited, committed here)."""

from __future__ import annotations

from typing import Any

from app import audit
from app.auth.models import User
from app.db import db, utcnow
from app.trends import caseload


def upcoming_context(clinician: User) -> dict[str, Any]:
    days = caseload.upcoming(clinician, now=utcnow())
    audit.record(
        "trends.upcoming_view",
        patient_id=None,
        object_type="clinician",
        object_id=str(clinician.id),
    )
    db.session.commit()
    return {"upcoming": days}
