"""A refused body's field errors are in the caller's language (their saved locale, else
Accept-Language), carry their limits, and never let pydantic's English through."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from app.api import validation
from app.api.models import TokenScope
from app.api.schemas import DiaryBody
from app.careteam.models import Patient
from app.db import db
from app.diary import queries as diary_queries
from app.diary.models import DiaryEntry
from tests.api.test_resources import bearer

PROBLEM = "application/problem+json"
FIELDS = {"mood": 11, "sleep_quality": 0, "bedtime": "25:00", "mode": "x", "stress": "5"}
EXPECTED = {
    "fr": {
        "mood": "Au plus 10.",
        "sleep_quality": "Au moins 1.",
        "bedtime": "Indiquez une heure au format HH:MM (sur 24 heures).",
        "mode": "Choisissez l\u2019une de ces valeurs : full, quick.",
        "stress": "Indiquez un nombre entier.",
    },
    "ar": {
        "mood": "على الأكثر 10.",
        "sleep_quality": "على الأقل 1.",
        "bedtime": "أدخل وقتًا بالصيغة HH:MM (نظام 24 ساعة).",
        "mode": "اختر إحدى هذه القيم: full, quick.",
        "stress": "أدخل عددًا صحيحًا.",
    },
}


def _url(app, patient) -> str:
    with app.app_context():
        today = diary_queries.local_today(db.session.get(Patient, patient.id))
    return f"/api/v1/patients/{patient.id}/diary/{(today - timedelta(days=1)).isoformat()}"


def _entries(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(DiaryEntry))


def _english(payload) -> set[str]:
    try:
        DiaryBody.model_validate(payload)
    except ValidationError as exc:
        return {error["msg"] for error in exc.errors(include_url=False)}
    return set()


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_token_holders_locale_words_every_field_error(app, client, make, locale):
    patient = make.patient(locale=locale)
    headers = bearer(app, patient.user_id, TokenScope.WRITE)
    before = _entries(app)
    response = client.put(_url(app, patient), json=FIELDS, headers=headers)
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert response.headers["Content-Language"] == locale
    problem = response.get_json()
    details = {error["field"]: error["detail"] for error in problem["errors"]}
    assert details == EXPECTED[locale]
    assert not set(details.values()) & _english(FIELDS)
    assert {error["type"] for error in problem["errors"]} >= {"less_than_equal", "literal_error"}
    assert _entries(app) == before


def test_accept_language_words_them_when_the_saved_locale_is_not_shipped(app, client, make):
    patient = make.patient(locale="xx")
    headers = {**bearer(app, patient.user_id, TokenScope.WRITE), "Accept-Language": "fr"}
    response = client.put(_url(app, patient), json={"notes": "n" * 5000}, headers=headers)
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error == {
        "field": "notes",
        "detail": "Au plus 2000 caractères.",
        "type": "string_too_long",
    }


@pytest.mark.parametrize(
    ("payload", "field", "detail"),
    [
        ({"colour": 1}, "colour", "Ce champ n\u2019est pas connu."),
        ({"symptom-pain": 12}, "symptom-pain", "Un nombre entier de 0 à 10."),
        ({"custom_triggers": ["a"] * 9}, "custom_triggers", "Au plus 5 éléments."),
        ({"triggers": ["nope"]}, "triggers.0", None),
    ],
)
def test_the_diary_bodys_own_checks_are_localized_and_name_their_field(
    app, client, make, payload, field, detail
):
    patient = make.patient(locale="fr")
    headers = bearer(app, patient.user_id, TokenScope.WRITE)
    response = client.put(_url(app, patient), json=payload, headers=headers)
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["field"] == field
    if detail is not None:
        assert error["detail"] == detail
    else:  # the trigger codes, without pydantic's English "or"
        assert error["detail"].startswith("Choisissez") and " or " not in error["detail"]


def test_query_parameter_errors_are_localized_too(app, client, make):
    patient = make.patient(locale="ar")
    headers = bearer(app, patient.user_id)
    url = f"/api/v1/patients/{patient.id}/diary"
    for query, field in (("?limit=0", "limit"), ("?cursor=@@", "cursor"), ("?from=x", "from")):
        response = client.get(url + query, headers=headers)
        assert response.status_code == 400, query
        [error] = response.get_json()["errors"]
        assert error["field"] == field
        assert not error["detail"].isascii(), (query, error)


def test_an_unknown_error_type_gets_the_generic_message_translated(app):
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        detail = validation.message({"type": "uuid_parsing", "loc": ("x",), "msg": "m", "input": 1})
        assert detail == "هذه القيمة غير صالحة."
        # a translation whose placeholders do not fit the context falls back, never raises
        broken = validation.message(
            {"type": "less_than_equal", "loc": ("x",), "msg": "m", "input": 1, "ctx": {}}
        )
        assert broken == "هذه القيمة غير صالحة."


def test_every_message_is_translated_in_every_shipped_locale(app):
    for locale in app.config["SUPPORTED_LOCALES"]:
        if locale == "en":
            continue
        with app.test_request_context(headers={"Accept-Language": locale}):
            for kind, template in validation.MESSAGES.items():
                assert str(template) != template._args[0], (locale, kind)


def test_a_malformed_day_and_an_over_long_idempotency_key_are_worded_in_french(app, client, make):
    patient = make.patient(locale="fr")
    headers = bearer(app, patient.user_id, TokenScope.WRITE)
    before = _entries(app)
    bad_day = client.put(
        f"/api/v1/patients/{patient.id}/diary/2026-13-40", json={"mood": 5}, headers=headers
    )
    assert bad_day.status_code == 400 and bad_day.mimetype == PROBLEM
    assert bad_day.get_json()["errors"] == [
        {"field": "date", "detail": "Indiquez une date au format AAAA-MM-JJ (YYYY-MM-DD)."}
    ]
    long_key = client.put(
        _url(app, patient), json={"mood": 5}, headers={**headers, "Idempotency-Key": "k" * 256}
    )
    assert long_key.status_code == 400
    assert long_key.get_json()["errors"] == [
        {"field": "Idempotency-Key", "detail": "Au plus 255 caractères."}
    ]
    assert _entries(app) == before
