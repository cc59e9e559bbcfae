"""SMS events that the care team must hear about: an opt-out, and delivery that keeps failing."""

from __future__ import annotations

import uuid

from app.alerts import rules, services
from app.alerts.models import Severity
from app.sms import dispatch
from app.sms.models import OutboxMessage


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


def register() -> None:
    dispatch.register_alert_sink(delivery_failed)
