"""The upcoming-follow-ups block of the clinician's home page (audited, committed here)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from app import audit
from app.auth.models import User
from app.db import db, utcnow
from app.followups.forms import MODALITY_LABELS
from app.trends import caseload
from app.trends.labels import FLAG_LABELS


def upcoming_context(clinician: User) -> dict[str, Any]:
    days = caseload.upcoming(clinician, now=utcnow())
    audit.record(
        "trends.upcoming_view",
        patient_id=None,
        object_type="clinician",
        object_id=str(clinician.id),
    )
    db.session.commit()
    return {"upcoming": days, "upcoming_labels": _labels()}


def _labels() -> dict[str, dict[Any, Markup]]:
    """The labels translated once per page, not once per row. A lazy string renders as markup
    (its __html__ is the translation, unescaped); these render exactly as the lazy ones did."""
    return {
        "flag": {flag: _markup(label) for flag, label in FLAG_LABELS.items()},
        "modality": {modality: _markup(label) for modality, label in MODALITY_LABELS.items()},
    }


def _markup(label: Any) -> Markup:
    return Markup(label.__html__())  # noqa: S704 - our own catalog's text, as rendered before
