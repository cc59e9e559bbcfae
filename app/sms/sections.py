"""The "Messages from the patient" section of a patient's record (care team and coordinator)."""

from __future__ import annotations

from flask_login import current_user

from app import audit
from app.access import Action, may
from app.careteam.models import Patient
from app.sms import queries
from app.web.sections import Section, provider


@provider("record")
def record_patient_texts(patient: Patient) -> Section | None:
    """Texts kept for the team, newest first; showing them is audited (ids only)."""
    if not current_user.is_authenticated or not may(
        current_user, Action.READ_PATIENT_TEXTS, patient
    ):
        return None
    texts = queries.patient_texts(patient)
    if texts:
        audit.record(
            "sms.texts_view",
            patient_id=patient.id,
            object_type="patient_text",
            object_id=str(texts[0].id),
        )
    return Section("sms/_record_texts.html", {"texts": texts}, order=2)
