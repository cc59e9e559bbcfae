"""Twilio webhooks: signatures (fail closed), MessageSid dedupe, keywords, status callbacks."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from app.audit import AuditEvent
from app.auth.models import User
from app.careteam.models import SmsConsent, WithdrawalSource
from app.db import db
from app.prompts.models import OutboxMessage, OutboxStatus
from app.prompts.planning import local_instant
from app.prompts.services import plan_due_prompts
from app.sms.dispatch import dispatch_due
from app.sms.models import InboundMessage
from tests.sms.fake_twilio import AUTH_TOKEN
from tests.sms.fixtures import PUBLIC, consenting

NY = ZoneInfo("America/New_York")


def signed_post(client, path: str, params: dict[str, str], token: str = AUTH_TOKEN, **headers):
    signature = RequestValidator(token).compute_signature(PUBLIC + path, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature, **headers})


def inbound(client, sid: str, body: str, sender: str = "+12025550170"):
    return signed_post(client, "/sms/inbound", {"MessageSid": sid, "From": sender, "Body": body})


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("signature", [None, "forged", "wrong-token"])
def test_forged_or_missing_signature_is_403_and_writes_nothing(
    app, make, client, twilio_app, signature
):
    consenting(make, app, phone="+12025550170")
    before = (count(app, InboundMessage), count(app, AuditEvent))
    params = {"MessageSid": "SMx1", "From": "+12025550170", "Body": "STOP"}
    if signature == "wrong-token":
        response = signed_post(client, "/sms/inbound", params, token="not-the-token")
    else:
        headers = {"X-Twilio-Signature": signature} if signature else {}
        response = client.post("/sms/inbound", data=params, headers=headers)
    assert response.status_code == 403
    assert (count(app, InboundMessage), count(app, AuditEvent)) == before


def test_no_auth_token_fails_closed(app, client):
    params = {"MessageSid": "SMx2", "From": "+12025550170", "Body": "HELP"}
    assert signed_post(client, "/sms/inbound", params).status_code == 403
    assert signed_post(client, "/sms/status", {"MessageSid": "SMx2"}).status_code == 403
    assert count(app, InboundMessage) == 0


def test_stop_records_opt_out_with_source_and_replay_is_ignored(app, make, client, twilio_app):
    patient = consenting(make, app, phone="+12025550170", locale="es")
    response = inbound(client, "SMstop", "  Stop ")
    assert response.mimetype == "text/xml"
    assert "START" in response.get_data(as_text=True)
    replay = inbound(client, "SMstop", "  Stop ")
    assert replay.get_data(as_text=True).endswith("<Response></Response>")
    with app.app_context():
        consent = db.session.scalars(
            select(SmsConsent).where(SmsConsent.user_id == patient.user_id)
        ).one()
        assert consent.withdrawal_source == WithdrawalSource.STOP
        assert consent.withdrawn_at is not None
        assert db.session.scalar(select(func.count()).select_from(InboundMessage)) == 1
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.patient_id == patient.id)
        ).all()
        assert actions.count("sms.opt_out") == 1


@pytest.mark.parametrize(
    "word", ["STOPALL", "unsubscribe", "Cancel", "END", "quit", "OPTOUT", "revoke"]
)
def test_twilio_opt_out_words(app, make, client, twilio_app, word):
    patient = consenting(make, app, phone="+12025550171")
    inbound(client, f"SM{word}", word, sender="+12025550171")
    with app.app_context():
        consent = db.session.scalars(
            select(SmsConsent).where(SmsConsent.user_id == patient.user_id)
        ).one()
        assert consent.withdrawal_source == WithdrawalSource.STOP


def test_start_opts_back_in_and_help_answers(app, make, client, twilio_app):
    patient = consenting(make, app, phone="+12025550172")
    inbound(client, "SM1", "STOP", sender="+12025550172")
    reply = inbound(client, "SM2", "unstop", sender="+12025550172").get_data(as_text=True)
    assert "on again" in reply
    help_reply = inbound(client, "SM3", "info", sender="+12025550172").get_data(as_text=True)
    assert "STOP" in help_reply
    with app.app_context():
        consents = db.session.scalars(
            select(SmsConsent).where(SmsConsent.user_id == patient.user_id)
        ).all()
        assert sorted(c.withdrawn_at is None for c in consents) == [False, True]


def test_unknown_numbers_get_a_generic_reply(app, client, twilio_app):
    text = inbound(client, "SMu", "hello", sender="+12025550199").get_data(as_text=True)
    assert "does not receive Heed messages" in text
    assert "+1202" not in text


def _sent_row(app, make, client, phone: str) -> tuple[str, object]:
    patient = consenting(make, app, phone=phone, timezone="America/New_York")
    with app.app_context():
        plan_due_prompts(now=local_instant(date(2026, 6, 1), time(19, 25), NY))
        db.session.commit()
        dispatch_due(now=local_instant(date(2026, 6, 1), time(19, 30), NY))
        row = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient_id == patient.user_id)
        ).one()
        return row.sid, row.id


def status_of(app, row_id) -> tuple:
    with app.app_context():
        row = db.session.get(OutboxMessage, row_id)
        return row.status, row.provider_status


def test_status_callbacks_only_move_forward_in_any_order(app, make, client, fake):
    sid, row_id = _sent_row(app, make, client, "+12025550173")
    for status in ("delivered", "sent", "queued", "sending"):
        response = signed_post(client, "/sms/status", {"MessageSid": sid, "MessageStatus": status})
        assert response.status_code == 204
    assert status_of(app, row_id) == (OutboxStatus.DELIVERED, "delivered")
    signed_post(client, "/sms/status", {"MessageSid": sid, "MessageStatus": "delivered"})
    assert status_of(app, row_id) == (OutboxStatus.DELIVERED, "delivered")


def test_undelivered_callback_with_30006_flags_the_number(app, make, client, fake):
    sid, row_id = _sent_row(app, make, client, "+12025550174")
    signed_post(
        client,
        "/sms/status",
        {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30006"},
    )
    assert status_of(app, row_id)[0] == OutboxStatus.UNDELIVERED
    with app.app_context():
        row = db.session.get(OutboxMessage, row_id)
        assert row.reason == "twilio_30006"
        user = db.session.get(User, row.recipient_id)
        from app.sms.queries import number_flagged

        assert number_flagged(user)
