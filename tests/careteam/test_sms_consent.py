"""Text-message consent from settings: recorded with wording and language, withdrawn at once."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.careteam.models import SmsConsent
from app.db import db
from tests.factories import PASSWORD


def test_patient_agrees_and_withdraws_from_settings(app, make, client, auth):
    user = make.patient(locale="fr", phone="+12025550131").user
    auth.login(user.email, PASSWORD)
    auth.post("/auth/settings/text-messages", {"agree": "1"}, token_from="/auth/settings")
    with app.app_context():
        consent = db.session.scalars(select(SmsConsent)).one()
        assert (consent.channel, consent.locale, consent.withdrawn_at) == ("web", "fr", None)
        assert consent.wording
    auth.post("/auth/settings/text-messages", {"stop": "1"}, token_from="/auth/settings")
    with app.app_context():
        consent = db.session.scalars(select(SmsConsent)).one()
        assert consent.withdrawn_at is not None
        assert consent.withdrawal_source == "settings"


def test_consent_needs_a_phone_number(app, make, client, auth):
    user = make.patient().user
    auth.login(user.email, PASSWORD)
    response = auth.post(
        "/auth/settings/text-messages", {"agree": "1"}, token_from="/auth/settings"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # the phone field is marked, the message is next to it, and the section links to it
    message = '<p class="error" id="phone-error">A mobile number is needed'
    assert message in page
    phone = re.search(r'<input[^>]*id="phone"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in phone and "phone-error" in phone
    assert 'href="#phone"' in page
    assert 'action="/auth/settings"' in page  # saving the number posts to the settings
    with app.app_context():
        assert db.session.scalar(select(SmsConsent)) is None
