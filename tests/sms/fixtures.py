"""SMS fixtures: the real twilio library against a fake transport, consenting people."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.auth.models import User
from app.careteam.models import ConsentChannel, Patient
from app.careteam.services import record_sms_consent
from app.db import db
from app.sms.gateway import TwilioGateway, install_gateway
from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, FakeTwilio

PUBLIC = "https://heed.example.org"


@pytest.fixture
def twilio_app(app: Flask) -> Iterator[Flask]:
    """The app with the twilio backend settings (auth token, public URL) for this test only."""
    saved = {k: app.config[k] for k in ("TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "SMS_BACKEND")}
    app.config.update(TWILIO_AUTH_TOKEN=AUTH_TOKEN, PUBLIC_BASE_URL=PUBLIC, SMS_BACKEND="twilio")
    yield app
    app.config.update(saved)
    install_gateway(app, None)


@pytest.fixture
def fake(twilio_app: Flask) -> FakeTwilio:
    transport = FakeTwilio()
    install_gateway(
        twilio_app,
        TwilioGateway(
            account_sid=ACCOUNT_SID,
            auth_token=AUTH_TOKEN,
            messaging_service_sid=SERVICE_SID,
            http_client=transport,
        ),
    )
    return transport


def consenting(make, app: Flask, *, phone: str, **kw) -> Patient:
    patient = make.patient(phone=phone, **kw)
    with app.test_request_context():
        record_sms_consent(
            user=db.session.get(User, patient.user_id),
            channel=ConsentChannel.PAPER,
            recorded_by=None,
        )
        db.session.commit()
    return patient
