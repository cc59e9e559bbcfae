"""SMS events that the care team must hear about: an opt-out, delivery that keeps failing, and
a text from a patient or caregiver to read; and the crisis lines the SMS reply to that text
carries."""

from __future__ import annotations

import uuid

from flask import Flask

from app.alerts import queries, rules, services
from app.alerts.models import Severity
from app.prompts.models import OutboxMessage
from app.sms import dispatch
from app.sms.signals import crisis_lines, text_kept


def delivery_failed(row: OutboxMessage) -> None:
    if row.patient_id is None:
        return
    services.raise_alert(
        patient_id=row.patient_id,
        rule_code=rules.SMS_FAILURE,
        severity=Severity.NORMAL,
        source_type="sms_outbox",
        source_id=row.id,
    )


def opted_out(patient_id: uuid.UUID | None, event_id: uuid.UUID) -> None:
    if patient_id is None:
        return
    services.raise_alert(
        patient_id=patient_id,
        rule_code=rules.SMS_OPT_OUT,
        severity=Severity.NORMAL,
        source_type="sms_opt_out",
        source_id=event_id,
    )


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


def clinic_crisis_lines(
    _app: Flask, *, clinic_id: uuid.UUID, locales: list[str], **_: object
) -> list[tuple[str, str]]:
    return [(row.label, row.contact) for row in queries.crisis_resources(clinic_id, locales)]


def register() -> None:
    dispatch.register_alert_sink(delivery_failed)
    text_kept.connect(message_to_read)
    crisis_lines.connect(clinic_crisis_lines)
