"""A stored locale Heed does not ship falls back to the default; one bad message never aborts
a batch, and nothing is left in `sending`."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select, update

from app.auth.models import User
from app.db import db
from app.prompts.models import OutboxMessage, OutboxStatus
from app.prompts.services import plan_due_prompts
from app.sms import bodies, dispatch
from app.sms.dispatch import dispatch_due, reconcile_unknown
from app.sms.gateway import get_gateway
from app.sms.models import MagicLink
from tests.sms.fixtures import consenting
from tests.sms.test_dispatch import at, row_for

PHONES = ["+12025550180", "+12025550181", "+12025550182"]


@pytest.fixture
def patients(app, make, ctx, fake):
    people = [consenting(make, app, phone=p, timezone="America/New_York") for p in PHONES]
    plan_due_prompts(now=at(time(19, 25)))
    db.session.commit()
    return people


def _set_locale(patient, locale: str) -> None:
    db.session.execute(update(User).where(User.id == patient.user_id).values(locale=locale))
    db.session.commit()


def _body_to(fake, patient) -> str:
    phone = db.session.get(User, patient.user_id).phone
    (body,) = [r.data["Body"] for r in fake.sent if r.data["To"] == phone]
    return body


def _nothing_sending() -> bool:
    statuses = db.session.scalars(
        select(OutboxMessage.status).execution_options(populate_existing=True)
    ).all()
    return OutboxStatus.SENDING not in statuses


@pytest.mark.parametrize(
    ("default", "expected"), [("en", "time for today's diary"), ("es", "diario")]
)
def test_unknown_stored_locale_gets_the_default_locale_body(
    app, patients, fake, monkeypatch, default, expected
):
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", default)
    odd = patients[1]
    _set_locale(odd, "zz")
    stats = dispatch_due(now=at(time(19, 30)))
    assert stats.sent == 3
    assert expected in _body_to(fake, odd)
    assert row_for(odd).locale == default
    assert _nothing_sending()


def test_a_message_that_cannot_be_rendered_fails_alone(app, patients, fake, monkeypatch):
    broken = patients[0]
    _set_locale(broken, "de")
    real = bodies.render

    def render(locale, *args):
        if locale == "de":
            raise KeyError("a broken translation")
        return real(locale, *args)

    monkeypatch.setattr(bodies, "render", render)
    stats = dispatch_due(now=at(time(19, 30)))
    assert (stats.sent, stats.failed) == (2, 1)
    row = row_for(broken)
    assert (row.status, row.reason, row.body_digest) == (OutboxStatus.FAILED, "render_failed", None)
    assert len(db.session.scalars(select(MagicLink)).all()) == 2
    assert db.session.get(User, broken.user_id).phone not in [r.data["To"] for r in fake.sent]
    assert _nothing_sending()


def test_an_unexpected_error_before_a_send_concerns_that_message_only(
    app, patients, fake, monkeypatch
):
    real = dispatch.consent_reasons
    calls = []

    def consent_reasons(ids, now, **kw):
        calls.append(ids)
        if len(calls) == 2:
            raise RuntimeError("database hiccup")
        return real(ids, now, **kw)

    monkeypatch.setattr(dispatch, "consent_reasons", consent_reasons)
    now = at(time(19, 30))
    stats = dispatch_due(now=now)
    assert len(fake.sent) == 2  # the first and the third; the second was never sent
    assert _nothing_sending()
    statuses = sorted(row_for(p).status for p in patients)
    # The first message's outcome was recorded in the failed transaction: both are checked
    # with the provider before anything is resent.
    assert statuses.count(OutboxStatus.UNKNOWN) == 2 and stats.unknown == 2
    assert reconcile_unknown(now=now + timedelta(minutes=2)) == 2
    for status in [row_for(p).status for p in patients]:
        assert status in (OutboxStatus.SENT, OutboxStatus.PLANNED)


def test_a_gateway_crash_on_one_message_leaves_it_to_reconciliation(
    app, patients, fake, monkeypatch
):
    gateway = get_gateway()
    real = gateway.send
    calls = []

    def send(**kw):
        calls.append(kw["to"])
        if len(calls) == 1:
            raise ConnectionResetError("socket closed")
        return real(**kw)

    monkeypatch.setattr(gateway, "send", send)
    stats = dispatch_due(now=at(time(19, 30)))
    assert (stats.sent, stats.unknown) == (2, 1)
    crashed = next(p for p in patients if db.session.get(User, p.user_id).phone == calls[0])
    assert (row_for(crashed).status, row_for(crashed).reason) == (
        OutboxStatus.UNKNOWN,
        "no_answer",
    )
    assert _nothing_sending()


def test_replies_to_an_unknown_locale_use_the_default(app, ctx):
    assert bodies.render("zz", bodies.help_reply) == bodies.render("en", bodies.help_reply)


def test_reset_email_to_an_unknown_locale_is_in_the_default_language(app, make, auth):
    user = make.patient(locale="zz").user
    response = auth.post("/auth/reset", {"email": user.email}, token_from="/auth/reset")
    assert response.status_code == 302
    mail = app.extensions["heed.mail_outbox"][-1]
    assert mail.to == user.email and "/auth/reset/" in mail.body
