"""SMS tells the features above it what happened through `app.signals` (sender, arguments as
documented there), and the care team sees the result: an opt-out, delivery that keeps failing
and a kept text each become an alert without sms importing the alerts feature."""

from __future__ import annotations

import uuid
from datetime import time

import pytest
from sqlalchemy import select

from app import signals
from app.alerts import rules
from app.alerts.models import Alert
from app.db import db, utcnow
from app.prompts.models import OutboxStatus
from app.sms.dispatch import dispatch_due
from app.sms.services import handle_inbound
from tests.sms.fake_twilio import error
from tests.sms.fixtures import consenting
from tests.sms.test_dispatch import at, planned_patient, row_for


@pytest.fixture
def heard():
    """Everything the SMS-side signals send during a test: (signal name, sender, arguments)."""
    events: list[tuple[str, object, dict]] = []
    receivers = []
    for signal in (signals.sms_opted_out, signals.sms_delivery_failed, signals.text_kept):

        def receive(sender, _name=signal.name, **kwargs):
            events.append((_name, sender, kwargs))

        signal.connect(receive)
        receivers.append((signal, receive))
    yield events
    for signal, receive in receivers:
        signal.disconnect(receive)


def _rules(patient_id) -> set[str]:
    return set(db.session.scalars(select(Alert.rule_code).where(Alert.patient_id == patient_id)))


def test_stop_sends_opted_out_and_the_team_is_alerted(app, make, ctx, heard):
    patient = consenting(make, app, phone="+12025550181")
    handle_inbound(sid=f"SM{uuid.uuid4().hex}", from_number="+12025550181", body="STOP")
    (_name, sender, args), *_ = [event for event in heard if event[0] == "sms.opted_out"]
    assert sender is app
    assert (args["user_id"], args["patient_id"]) == (patient.user_id, patient.id)
    assert isinstance(args["event_id"], uuid.UUID)
    assert rules.SMS_OPT_OUT in _rules(patient.id)


def test_exhausted_retries_send_delivery_failed_and_the_team_is_alerted(
    app, make, ctx, fake, heard
):
    patient = planned_patient(make, app, phone="+12025550182")
    app.config["SMS_MAX_ATTEMPTS"], saved = 1, app.config["SMS_MAX_ATTEMPTS"]
    try:
        fake.script = [error(429, 20429)]
        dispatch_due(now=at(time(19, 30)))
    finally:
        app.config["SMS_MAX_ATTEMPTS"] = saved
    row = row_for(patient)
    assert row.status == OutboxStatus.FAILED
    failed = [args for name, _sender, args in heard if name == "sms.delivery_failed"]
    assert failed == [
        {
            "outbox_id": row.id,
            "patient_id": patient.id,
            "recipient_id": patient.user_id,
            "reason": "retries_exhausted",
        }
    ]
    assert rules.SMS_FAILURE in _rules(patient.id)


def test_a_kept_text_sends_text_kept_and_the_team_must_read_it(app, make, ctx, heard):
    patient = consenting(make, app, phone="+12025550183")
    handle_inbound(
        sid=f"SM{uuid.uuid4().hex}", from_number="+12025550183", body="Bad day", now=utcnow()
    )
    kept = [args for name, _sender, args in heard if name == "sms.text_kept"]
    assert len(kept) == 1 and kept[0]["patient_id"] == patient.id
    assert kept[0]["sender_id"] == patient.user_id
    assert rules.MESSAGE_TO_READ in _rules(patient.id)
