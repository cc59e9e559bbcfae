"""Dispatch through the real twilio library against a fake transport: every fault path."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.careteam.services import active_sms_consent
from app.db import db
from app.prompts.models import OutboxMessage, OutboxStatus
from app.prompts.planning import local_instant
from app.prompts.services import plan_due_prompts
from app.sms import services
from app.sms.dispatch import dispatch_due, expire_stale, reconcile_unknown
from app.sms.models import MagicLink, NumberFlag
from tests.sms.fake_twilio import ACCOUNT_SID, SERVICE_SID, error, timeout
from tests.sms.fixtures import PUBLIC, consenting

NY = ZoneInfo("America/New_York")
DAY = date(2026, 6, 1)


def at(clock: time, day: date = DAY) -> datetime:
    return local_instant(day, clock, NY)


def planned_patient(make, app, phone: str = "+12025550160"):
    patient = consenting(make, app, phone=phone, timezone="America/New_York")
    plan_due_prompts(now=at(time(19, 25)))
    db.session.commit()
    return patient


def row_for(patient) -> OutboxMessage:
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient_id == patient.user_id)
        .execution_options(populate_existing=True)
    ).one()


def test_sends_through_twilio_with_link_and_callback(app, make, ctx, fake):
    patient = planned_patient(make, app)
    stats = dispatch_due(now=at(time(19, 30)))
    assert stats.sent == 1
    (request,) = fake.sent
    assert request.url == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request.data["To"] == "+12025550160"
    assert request.data["MessagingServiceSid"] == SERVICE_SID
    assert request.data["StatusCallback"] == f"{PUBLIC}/sms/status"
    body = request.data["Body"]
    assert body.startswith("Heed: time for today's diary. https://heed.example.org/m/")
    assert body.endswith("Reply STOP to stop.")
    row = row_for(patient)
    assert row.status == OutboxStatus.SENT and row.sid.startswith("SM")
    assert "[link]" in row.body_redacted and "/m/" not in row.body_redacted
    assert db.session.scalars(select(MagicLink)).one().user_id == patient.user_id


def test_stop_then_a_due_prompt_is_not_sent_and_twilio_is_not_called(app, make, ctx, fake):
    patient = planned_patient(make, app)
    services.handle_inbound(sid="SMstop1", from_number="+12025550160", body="STOP")
    db.session.commit()
    assert dispatch_due(now=at(time(19, 30))).sent == 0
    assert fake.requests == []
    assert row_for(patient).status == OutboxStatus.CANCELLED


def test_withdrawn_consent_is_rechecked_at_dispatch(app, make, ctx, fake):
    patient = planned_patient(make, app)
    # Consent withdrawn after planning in a way that did not cancel the row (e.g. another process).
    consent = active_sms_consent(db.session.get(User, patient.user_id))
    consent.withdrawn_at = at(time(19, 26))
    db.session.commit()
    dispatch_due(now=at(time(19, 30)))
    assert fake.requests == []
    assert (row_for(patient).status, row_for(patient).reason) == (OutboxStatus.SKIPPED, "opted_out")


def test_21610_on_send_records_an_opt_out(app, make, ctx, fake):
    patient = planned_patient(make, app)
    fake.script = [error(400, 21610)]
    dispatch_due(now=at(time(19, 30)))
    row = row_for(patient)
    assert (row.status, row.error_code, row.reason) == (OutboxStatus.FAILED, 21610, "twilio_21610")
    user = db.session.get(User, patient.user_id)
    assert active_sms_consent(user) is None
    assert db.session.scalars(select(NumberFlag)).one().error_code == 21610


@pytest.mark.parametrize("code", [21211, 21614, 30005, 30006])
def test_invalid_or_unreachable_numbers_are_flagged_and_not_retried(app, make, ctx, fake, code):
    patient = planned_patient(make, app)
    fake.script = [error(400, code)]
    dispatch_due(now=at(time(19, 30)))
    assert row_for(patient).status == OutboxStatus.FAILED
    assert db.session.scalars(select(NumberFlag)).one().error_code == code
    # The next day's reminder is planned but skipped without calling Twilio.
    plan_due_prompts(now=at(time(19, 25), DAY + timedelta(days=1)))
    db.session.commit()
    dispatch_due(now=at(time(19, 30), DAY + timedelta(days=1)))
    assert len(fake.sent) == 1


def test_429_retries_with_backoff_then_sends(app, make, ctx, fake):
    patient = planned_patient(make, app)
    fake.script = [error(429, 20429)]
    now = at(time(19, 30))
    assert dispatch_due(now=now).retried == 1
    row = row_for(patient)
    assert row.status == OutboxStatus.PLANNED and row.reason == "rate_limited"
    assert now + timedelta(seconds=10) <= row.next_attempt_at <= now + timedelta(seconds=20)
    assert dispatch_due(now=now + timedelta(seconds=5)).sent == 0  # not before the backoff
    assert dispatch_due(now=now + timedelta(seconds=30)).sent == 1
    assert row_for(patient).attempts == 2
    assert len(fake.sent) == 2


def test_exhausted_retries_raise_an_alert(app, make, ctx, fake):
    patient = planned_patient(make, app)
    app.config["SMS_MAX_ATTEMPTS"], saved = 2, app.config["SMS_MAX_ATTEMPTS"]
    try:
        fake.script = [error(429, 20429), error(429, 20429)]
        dispatch_due(now=at(time(19, 30)))
        dispatch_due(now=at(time(19, 35)))
    finally:
        app.config["SMS_MAX_ATTEMPTS"] = saved
    row = row_for(patient)
    assert (row.status, row.reason) == (OutboxStatus.FAILED, "retries_exhausted")
    assert row.alert_raised_at is not None


@pytest.mark.parametrize("fault", ["500", "timeout"])
def test_5xx_and_timeout_are_reconciled_before_any_resend(app, make, ctx, fake, fault):
    patient = planned_patient(make, app)
    accepted_anyway = fault == "timeout"

    fake.script = [timeout() if fault == "timeout" else error(500)]
    now = at(time(19, 30))
    assert dispatch_due(now=now).unknown == 1
    if accepted_anyway:  # Twilio did take it before the connection dropped
        fake.accepted.append(
            {"sid": "SMlate", "status": "sent", "to": "+12025550160", "body": None}
        )
    row = row_for(patient)
    assert row.status == OutboxStatus.UNKNOWN
    # Never resent by ordinary dispatch, and not reconciled within the first minute.
    assert dispatch_due(now=now + timedelta(minutes=5)).sent == 0
    assert reconcile_unknown(now=now + timedelta(seconds=30)) == 0
    if accepted_anyway:
        fake.accepted[-1]["body"] = fake.sent[0].data["Body"]
    assert reconcile_unknown(now=now + timedelta(minutes=2)) == 1
    row = row_for(patient)
    if accepted_anyway:
        assert (row.status, row.sid) == (OutboxStatus.SENT, "SMlate")
        assert len(fake.sent) == 1
    else:
        assert row.status == OutboxStatus.PLANNED
        assert dispatch_due(now=now + timedelta(minutes=2)).sent == 1
        assert len(fake.sent) == 2
    assert any(r.method == "GET" for r in fake.requests)


def test_lapsed_lease_after_render_becomes_unknown(app, make, ctx, fake):
    patient = planned_patient(make, app)
    row = row_for(patient)
    row.status, row.lease_until, row.body_digest = (
        OutboxStatus.SENDING,
        at(time(19, 31)),
        "0" * 64,
    )
    db.session.commit()
    expire_stale(now=at(time(19, 40)))
    assert row_for(patient).status == OutboxStatus.UNKNOWN
    assert fake.requests == []
