"""Email over SMTP: a real SMTP server on loopback (aiosmtpd); failures save nothing."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import func, select

from app import mail
from app.auth.models import User
from app.careteam.models import CaregiverLink, Patient
from app.db import db
from tests.careteam.test_caregivers import _invite as invite_caregiver
from tests.conftest import csrf_from
from tests.factories import PASSWORD


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, _server, _session, envelope) -> str:
        self.messages.append((envelope, message_from_bytes(envelope.content, policy=policy.SMTP)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _accept_heed(_server, _session, _envelope, mechanism, auth_data) -> AuthResult:
    ok = mechanism in ("LOGIN", "PLAIN") and (auth_data.login, auth_data.password) == (
        b"heed",
        b"app-password",
    )
    return AuthResult(success=ok)


@contextmanager
def _mail_settings(app, **values: object) -> Iterator[None]:
    values = {"MAIL_BACKEND": "smtp", "MAIL_SMTP_HOST": "127.0.0.1", **values}
    saved = {key: app.config[key] for key in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(saved)


@pytest.fixture
def smtp(app) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=_accept_heed,
        auth_require_tls=False,
    )
    controller.start()
    try:
        with _mail_settings(
            app,
            MAIL_SMTP_PORT=controller.port,
            MAIL_SMTP_SECURITY="none",
            MAIL_SMTP_USERNAME="heed",
            MAIL_SMTP_PASSWORD="app-password",
            MAIL_FROM="Heed <heed@clinic.invalid>",
        ):
            yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_down(app) -> Iterator[None]:
    # Nothing listens on the port: the connection is refused.
    with _mail_settings(
        app, MAIL_SMTP_PORT=_free_port(), MAIL_SMTP_SECURITY="none", MAIL_TIMEOUT_SECONDS=2
    ):
        yield


def test_smtp_delivers_utf8_mail_after_logging_in(app, smtp: Inbox):
    with app.app_context():
        sent = mail.send(to="mariam@example.org", subject="مرحبًا بك في Heed", body="رابط: ✓")
    assert sent is True
    [(envelope, message)] = smtp.messages
    assert envelope.rcpt_tos == ["mariam@example.org"]
    assert envelope.mail_from == "heed@clinic.invalid"
    assert message["Subject"] == "مرحبًا بك في Heed"
    assert message.get_content().strip() == "رابط: ✓"
    assert message["Message-ID"].endswith("@clinic.invalid>")
    with app.app_context():
        assert mail.outbox() == []  # the console outbox is not used with SMTP


def test_smtp_failure_is_reported_and_logged_without_the_address(app, smtp_down, caplog):
    caplog.set_level(logging.INFO, logger="app.mail")
    with app.app_context():
        assert mail.send(to="someone@example.org", subject="s", body="b") is False
        assert mail.outbox() == []
    assert "email not sent: ConnectionRefusedError" in caplog.text
    assert "someone@example.org" not in caplog.text


def _enrollment(make, client, auth, name: str, *, locale: str) -> dict[str, str]:
    """Sign in a clinician and fill the enrollment form for a patient with an email address."""
    auth.login(make.clinician(make.clinic()).email, PASSWORD)
    html = client.get("/patients/enroll").get_data(as_text=True)
    email = name.lower().replace(" ", ".") + "@example.org"
    return {
        "csrf_token": csrf_from(html),
        "display_name": name,
        "email": email,
        "locale": locale,
        "timezone": "UTC",
        "sms_consent": "",
    }


def test_enrollment_saves_nothing_when_the_invitation_cannot_be_emailed(
    app, make, client, auth, smtp_down
):
    form = _enrollment(make, client, auth, "Ana Invented", locale="en")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Patient))
    response = client.post("/patients/enroll", data=form)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "The invitation email could not be sent, so nothing was saved." in page
    assert 'value="Ana Invented"' in page  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Patient)) == before
        assert db.session.scalar(select(User).where(User.display_name == "Ana Invented")) is None


def test_enrollment_emails_the_invitation_over_smtp(app, make, client, auth, smtp: Inbox):
    form = _enrollment(make, client, auth, "Ben Invented", locale="es")
    assert client.post("/patients/enroll", data=form).status_code == 302
    [(envelope, message)] = smtp.messages
    assert envelope.rcpt_tos == ["ben.invented@example.org"]
    assert "/auth/invitation/" in message.get_content()
    assert "Heed" in message["Subject"] and message["Subject"] != "You are invited to Heed"


def test_staff_invitation_saves_nothing_when_the_email_fails(app, make, client, auth, smtp_down):
    clinic = make.clinic()
    admin = make.admin()
    auth.login(admin.email, PASSWORD)
    html = client.get("/admin/invite").get_data(as_text=True)
    form = {
        "csrf_token": csrf_from(html),
        "display_name": "Cleo Invented",
        "email": "cleo.invented@example.org",
        "role": "clinician",
        "discipline": "psychology",
        "clinic": str(clinic.id),
    }
    response = client.post("/admin/invite", data=form)
    assert response.status_code == 503
    assert "could not be sent" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == form["email"])) is None


def test_caregiver_invitation_saves_nothing_when_the_email_fails(
    app, make, client, auth, smtp_down
):
    patient = make.patient(name="Sharing Patient")
    auth.login(patient.user.email, PASSWORD)
    response = invite_caregiver(auth, patient.id)
    assert response.status_code == 503
    assert "could not be sent" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaregiverLink)) == 0
        assert (
            db.session.scalar(select(User).where(User.email == "robin.helper@example.org")) is None
        )
