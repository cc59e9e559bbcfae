"""Follow-up appointments: scheduling (care team), the patient's next follow-up (home section)."""

from __future__ import annotations

from flask import Flask

from app.followups import forms


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        MODALITY_LABELS=forms.MODALITY_LABELS, APPOINTMENT_STATUS_LABELS=forms.STATUS_LABELS
    )
