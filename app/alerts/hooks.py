"""The alerts' receivers: the alerts section of a patient's record (care team and coordinator only).

The alerts feature's receivers (`app/signals.py`).

SMS and prompts: an opt-out, delivery that keeps failing and a text from a patient or caregiver
to read become alerts for the care team; the crisis lines the SMS reply to that text carries
come from the clinic's configuration. Connected when this module is imported (`create_app`).
"""

from __future__ import annotations

import uuid

from flask import Flask
from flask_login import current_user

from app.access import Action, may
from app.alerts import queries, rules, services
from app.alerts.forms import AcknowledgeForm
from app.alerts.models import Severity
from app.alerts.rules import rule_label
from app.careteam.models import Patient
from app.signals import crisis_lines, sms_delivery_failed, sms_opted_out, text_kept
from app.web.sections import Section, provider


@provider("record")
def record_alerts(patient: Patient) -> Section | None:
    if not may(current_user, Action.ACKNOWLEDGE_ALERT, patient):
        return None
    alerts = queries.alerts_for(patient)
    return Section(
        "alerts/_record_alerts.html",
        {
            "alerts": alerts,
            "occurrences": queries.occurrences(alerts),
            "can_acknowledge": True,
            "can_configure": True,
            "ack_form": AcknowledgeForm(),
            "rule_label": rule_label,
        },
        order=1,
    )


def _raise_normal(
    patient_id: uuid.UUID | None, rule_code: str, source_type: str, source_id: uuid.UUID
) -> None:
    """A normal alert about the patient; nothing for a caregiver's or staff member's number."""
    if patient_id is not None:
        services.raise_alert(
            patient_id=patient_id,
            rule_code=rule_code,
            severity=Severity.NORMAL,
            source_type=source_type,
            source_id=source_id,
        )


@sms_delivery_failed.connect
def delivery_failed(
    _app: Flask, *, outbox_id: uuid.UUID, patient_id: uuid.UUID | None, **_: object
) -> None:
    _raise_normal(patient_id, rules.SMS_FAILURE, "sms_outbox", outbox_id)


@sms_opted_out.connect
def opted_out(
    _app: Flask, *, patient_id: uuid.UUID | None, event_id: uuid.UUID, **_: object
) -> None:
    _raise_normal(patient_id, rules.SMS_OPT_OUT, "sms_opt_out", event_id)


@text_kept.connect
def message_to_read(_app: Flask, *, text_id: uuid.UUID, patient_id: uuid.UUID, **_: object) -> None:
    """Urgent, like a critical answer: Heed does not judge what the words mean, so a person must
    read them soon (emailed when raised, escalated when not acknowledged). Repeats attach to
    the open alert, each text a source."""
    services.raise_alert(
        patient_id=patient_id,
        rule_code=rules.MESSAGE_TO_READ,
        severity=Severity.URGENT,
        source_type="patient_text",
        source_id=text_id,
    )


@crisis_lines.connect
def clinic_crisis_lines(
    _app: Flask, *, clinic_id: uuid.UUID, locales: list[str], **_: object
) -> list[tuple[str, str]]:
    return [(row.label, row.contact) for row in queries.crisis_resources(clinic_id, locales)]
