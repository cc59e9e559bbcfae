"""STOP / START / HELP in every shipped language, Twilio's OptOutType, and shared numbers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.careteam.models import SmsConsent, WithdrawalSource
from app.db import db
from app.sms.keywords import KEYWORDS_BY_LOCALE, Keyword, classify, fold
from app.sms.models import PatientText
from app.sms.queries import has_consent
from tests.sms.fixtures import consenting
from tests.sms.test_webhooks import _sent_row, inbound, signed_post


def _consents(app, user_id) -> list[SmsConsent]:
    with app.app_context():
        return list(db.session.scalars(select(SmsConsent).where(SmsConsent.user_id == user_id)))


def _consenting_now(app, user_id) -> bool:
    with app.app_context():
        return has_consent(db.session.get(User, user_id))


@pytest.mark.parametrize(
    "word", ["PARAR", "baja", "Cancelar", "Arrêt", "ARRETE", "Stopp", "sair", "إيقاف"]
)
def test_localized_opt_out_words_stop_texts(app, make, client, twilio_app, word):
    patient = consenting(make, app, phone="+12025550160", locale="es")
    response = inbound(client, "SMlocal", word, sender="+12025550160")
    assert "<Message>" in response.get_data(as_text=True)  # the localized STOP confirmation
    (consent,) = _consents(app, patient.user_id)
    assert consent.withdrawal_source == WithdrawalSource.STOP
    with app.app_context():  # a keyword is not a text for the care team
        assert db.session.scalars(select(PatientText)).all() == []


def test_localized_start_and_help(app, make, client, twilio_app):
    patient = consenting(make, app, phone="+12025550161", locale="es")
    inbound(client, "SMa", "PARAR", sender="+12025550161")
    assert not _consenting_now(app, patient.user_id)
    assert "<Message>" in inbound(client, "SMb", "Comenzar", sender="+12025550161").get_data(
        as_text=True
    )
    assert _consenting_now(app, patient.user_id)
    help_reply = inbound(client, "SMc", "AYUDA", sender="+12025550161").get_data(as_text=True)
    assert "STOP" in help_reply


def test_twilio_opt_out_type_wins_for_words_only_configured_in_twilio(
    app, make, client, twilio_app
):
    patient = consenting(make, app, phone="+12025550162")
    params = {"MessageSid": "SMtype", "From": "+12025550162", "Body": "DESUSCRIBIR"}
    signed_post(client, "/sms/inbound", {**params, "OptOutType": "STOP"})
    assert not _consenting_now(app, patient.user_id)


def test_keyword_lists_cover_every_locale_without_overlap():
    assert set(KEYWORDS_BY_LOCALE) == {"en", "es", "fr", "de", "pt", "ar"}
    seen: dict[str, Keyword] = {}
    for words in KEYWORDS_BY_LOCALE.values():
        assert set(words) == set(Keyword)
        for keyword, listed in words.items():
            for word in listed:
                assert seen.setdefault(fold(word), keyword) == keyword, word
                assert classify(word) == keyword
    assert classify("parar de tomar la medicina") is None  # only a whole reply is a keyword


def test_stop_from_a_shared_number_opts_out_every_account_on_it(app, make, client, twilio_app):
    first = consenting(make, app, phone="+12025550163")
    second = consenting(make, app, phone="+12025550163", locale="es")
    inbound(client, "SMshared", "STOP", sender="+12025550163")
    for patient in (first, second):
        assert not _consenting_now(app, patient.user_id)
        (consent,) = _consents(app, patient.user_id)
        assert consent.withdrawal_source == WithdrawalSource.STOP
    inbound(client, "SMshared2", "START", sender="+12025550163")
    assert _consenting_now(app, first.user_id) and _consenting_now(app, second.user_id)


def test_free_text_from_a_shared_number_reaches_each_patients_team(app, make, client, twilio_app):
    first = consenting(make, app, phone="+12025550164")
    second = consenting(make, app, phone="+12025550164")
    inbound(client, "SMfam", "we need help", sender="+12025550164")
    with app.app_context():
        kept = db.session.scalars(select(PatientText).where(PatientText.sid == "SMfam")).all()
    assert {t.patient_id for t in kept} == {first.id, second.id}


def test_twilio_21610_for_a_shared_number_opts_out_every_account_on_it(app, make, client, fake):
    sid, _row_id = _sent_row(app, make, client, "+12025550165")
    other = consenting(make, app, phone="+12025550165")
    signed_post(
        client,
        "/sms/status",
        {"MessageSid": sid, "MessageStatus": "failed", "ErrorCode": "21610"},
    )
    assert not _consenting_now(app, other.user_id)
    (consent,) = _consents(app, other.user_id)
    assert consent.withdrawal_source == WithdrawalSource.STOP
