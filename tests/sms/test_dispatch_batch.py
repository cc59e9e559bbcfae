"""Batched dispatch: one claim and one prepare per batch, a re-check right before each send."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta

import pytest
from sqlalchemy import event, select
from twilio.http.http_client import TwilioHttpClient

from app.auth.models import User
from app.careteam.models import ConsentChannel, ConsentScope
from app.careteam.services import active_sms_consent, record_sms_consent
from app.db import db
from app.prompts.models import OutboxStatus
from app.prompts.services import plan_due_prompts
from app.sms import dispatch
from app.sms.dispatch import dispatch_due, expire_stale, reconcile_unknown
from app.sms.gateway import TwilioGateway, get_gateway
from app.sms.models import MagicLink
from tests.sms.fixtures import consenting
from tests.sms.test_dispatch import at, row_for

PHONES = ["+12025550170", "+12025550171", "+12025550172"]


@pytest.fixture
def patients(app, make, ctx, fake):
    people = [consenting(make, app, phone=p, timezone="America/New_York") for p in PHONES]
    plan_due_prompts(now=at(time(19, 25)))
    db.session.commit()
    return people


def on_first_send(monkeypatch, action: Callable[[str], None]) -> None:
    """After the first send, run `action(number sent to)` outside any transaction (as another
    process would)."""
    gateway = get_gateway()
    real = gateway.send
    calls = []

    def send(**kw):
        sent = real(**kw)
        if not calls:
            action(kw["to"])
        calls.append(kw["to"])
        return sent

    monkeypatch.setattr(gateway, "send", send)


def test_a_batch_of_three_is_sent_once_each(patients, fake):
    stats = dispatch_due(now=at(time(19, 30)))
    assert stats.sent == 3
    assert sorted(r.data["To"] for r in fake.sent) == PHONES
    assert len(db.session.scalars(select(MagicLink)).all()) == 3
    assert {row_for(p).status for p in patients} == {OutboxStatus.SENT}


def later(patients, first_number: str):
    """A patient of the batch whose message was not the first one sent."""
    return next(p for p in patients if db.session.get(User, p.user_id).phone != first_number)


def test_consent_withdrawn_between_claim_and_send_is_honoured(patients, fake, monkeypatch):
    chosen = []

    def withdraw(first_number: str) -> None:
        chosen.append(later(patients, first_number))
        user = db.session.get(User, chosen[0].user_id)
        active_sms_consent(user).withdrawn_at = at(time(19, 30))
        db.session.commit()

    on_first_send(monkeypatch, withdraw)
    stats = dispatch_due(now=at(time(19, 30)))
    assert (stats.sent, stats.skipped) == (2, 1)
    (last,) = chosen
    assert db.session.get(User, last.user_id).phone not in [r.data["To"] for r in fake.sent]
    row = row_for(last)
    assert (row.status, row.reason) == (OutboxStatus.SKIPPED, "opted_out")
    # As if never rendered: no body kept and no usable link left behind.
    assert row.body_digest is None and row.body_redacted is None and row.claim_id is None
    links = db.session.scalars(select(MagicLink.user_id)).all()
    assert last.user_id not in links and len(links) == 2


def test_a_claim_lost_mid_batch_is_not_sent(patients, fake, monkeypatch):
    chosen = []

    def lapse(first_number: str) -> None:  # the lease ran out and the clock recovered the row
        chosen.append(later(patients, first_number))
        row = row_for(chosen[0])
        row.status, row.claim_id, row.lease_until = OutboxStatus.UNKNOWN, None, None
        db.session.commit()

    on_first_send(monkeypatch, lapse)
    assert dispatch_due(now=at(time(19, 30))).sent == 2
    (last,) = chosen
    assert db.session.get(User, last.user_id).phone not in [r.data["To"] for r in fake.sent]
    assert row_for(last).status == OutboxStatus.UNKNOWN


class WorkerKilled(BaseException):
    """A kill, not an error: an Exception on one message is isolated (test_dispatch_isolation)."""


def test_a_crash_between_send_and_record_is_reconciled_not_resent(patients, fake, monkeypatch):
    def crash(*_args) -> None:
        raise WorkerKilled("worker killed after the send")

    monkeypatch.setattr(dispatch, "_record", crash)
    now = at(time(19, 30))
    with pytest.raises(WorkerKilled):
        dispatch_due(now=now)
    monkeypatch.undo()
    assert len(fake.sent) == 1
    # Every row of the batch was rendered (body digest kept) and is still claimed.
    assert all(row_for(p).body_digest for p in patients)
    assert {row_for(p).status for p in patients} == {OutboxStatus.SENDING}
    # The lease lapses: rendered rows may have gone out, so they become UNKNOWN, none is resent.
    expire_stale(now=now + timedelta(minutes=3))
    assert {row_for(p).status for p in patients} == {OutboxStatus.UNKNOWN}
    assert dispatch_due(now=now + timedelta(minutes=3)).sent == 0
    assert reconcile_unknown(now=now + timedelta(minutes=5)) == 3
    sent_to = fake.sent[0].data["To"]
    for patient in patients:
        row = row_for(patient)
        phone = db.session.get(User, patient.user_id).phone
        expected = OutboxStatus.SENT if phone == sent_to else OutboxStatus.PLANNED
        assert row.status == expected
    assert dispatch_due(now=now + timedelta(minutes=5)).sent == 2
    assert sorted(r.data["To"] for r in fake.sent) == PHONES


def test_statement_budget_per_message(app, patients, fake):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    engine = app.extensions["heed.engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert dispatch_due(now=at(time(19, 30))).sent == 3
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Per message: the re-check and the compare-and-set UPDATE of the outcome, plus the
    # completion check in the batch; per batch: claim (2), load, consent, schedules, links, render\n    # (before batching: about 10 per message).
    assert len(statements) <= 3 * 3 + 7, statements


def test_caregiver_checkin_with_scope_is_sent(app, make, ctx, fake):
    patient = make.patient(timezone="America/New_York")
    caregiver, _ = make.caregiver(
        patient, [ConsentScope.RECEIVE_CHECKINS], phone="+12025550151", timezone="America/New_York"
    )
    record_sms_consent(
        user=db.session.get(User, caregiver.id), channel=ConsentChannel.WEB, recorded_by=None
    )
    db.session.commit()
    sunday = date(2026, 6, 7)
    plan_due_prompts(now=at(time(17, 55), sunday))
    db.session.commit()
    assert dispatch_due(now=at(time(18, 0), sunday)).sent == 1
    assert [r.data["To"] for r in fake.sent] == ["+12025550151"]


def test_the_gateway_reads_proxy_and_ca_settings_from_the_environment_once(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    http_client = TwilioHttpClient()
    TwilioGateway(account_sid="AC" + "0" * 32, auth_token="token", http_client=http_client)
    assert http_client.proxy == {"https": "http://proxy.invalid:3128"}
    assert http_client.session.verify == "/etc/ssl/certs/ca-certificates.crt"
    assert http_client.session.trust_env is False  # not re-read from os.environ per message
