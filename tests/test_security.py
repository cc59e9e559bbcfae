"""Phone numbers: parsed, E.164, encrypted at rest with rotatable keys, found by blind index."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from app import create_app
from app.auth.models import User
from app.careteam.services import find_user_by_phone
from app.db import db
from app.security import InvalidPhoneNumber, normalize_phone


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("(202) 555-0143", "US", "+12025550143"),
        ("+34 600 00 00 01", "US", "+34600000001"),
        ("06 12 34 56 78", "FR", "+33612345678"),
    ],
)
def test_phone_numbers_are_normalized_to_e164(ctx, raw, region, e164):
    assert normalize_phone(raw, region) == e164


@pytest.mark.parametrize("raw", ["", "12", "not a phone", "+1 202 555 01", "+999 123456"])
def test_invalid_phone_numbers_are_refused(ctx, raw):
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw, "US")


def test_phone_is_encrypted_at_rest_and_found_by_blind_index(app, make):
    user = make.patient(phone="(202) 555-0188").user
    with app.app_context():
        stored = db.session.execute(
            text("SELECT phone, phone_index FROM users WHERE id = :id"),
            {"id": user.id.hex if db.engine.dialect.name == "sqlite" else user.id},
        ).one()
        assert "5550188" not in stored.phone
        assert "5550188" not in stored.phone_index
        assert db.session.get(User, user.id).phone == "+12025550188"
    with app.test_request_context():
        assert find_user_by_phone("+1 202-555-0188").id == user.id
        assert find_user_by_phone("+1 202-555-0199") is None


def test_key_rotation_keeps_old_data_readable_and_rewrites_it(app, make, database_url):
    user = make.patient(phone="+12025550166").user
    old_key = app.config["FIELD_ENCRYPTION_KEYS"][0]
    new_key = Fernet.generate_key().decode()
    rotated = create_app(
        {"DATABASE_URL": database_url, "FIELD_ENCRYPTION_KEYS": [new_key, old_key]}
    )
    rotated.extensions["heed.sessionmaker"] = app.extensions[
        "heed.sessionmaker"
    ]  # same test transaction
    with rotated.app_context():
        assert db.session.get(User, user.id).phone == "+12025550166"
    result = rotated.test_cli_runner().invoke(args=["rotate-keys"])
    assert "re-encrypted" in result.output
    only_new = create_app({"DATABASE_URL": database_url, "FIELD_ENCRYPTION_KEYS": [new_key]})
    only_new.extensions["heed.sessionmaker"] = app.extensions["heed.sessionmaker"]
    with only_new.app_context():
        assert db.session.scalar(select(User.phone).where(User.id == user.id)) == "+12025550166"
    rotated.extensions["heed.engine"].dispose()
    only_new.extensions["heed.engine"].dispose()
