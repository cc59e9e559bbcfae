"""Phone numbers: parsed, E.164, encrypted at rest with rotatable keys, found by blind index;
diary text rotated with them."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from app import create_app
from app.auth.models import User
from app.careteam.models import Patient
from app.careteam.services import find_user_by_phone
from app.db import db
from app.diary.models import DiaryEntry, DiaryRevision
from app.diary.services import record_entry
from app.diary.values import DiaryValues
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
    patient = make.patient(phone="+12025550166")
    user = patient.user
    with app.test_request_context():
        saved = record_entry(
            patient=db.session.get(Patient, patient.id),
            local_date=date(2026, 11, 20),
            values=DiaryValues(mood=4, notes="Rough night."),
            submission_id=uuid.uuid4(),
            actor=db.session.get(User, user.id),
        )
        db.session.commit()
        entry_id = saved.entry.id
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
    assert "users.phone: 1" in result.output
    assert "diary_entries.notes: 1" in result.output
    assert "diary_revisions.changes: 1" in result.output
    only_new = create_app({"DATABASE_URL": database_url, "FIELD_ENCRYPTION_KEYS": [new_key]})
    only_new.extensions["heed.sessionmaker"] = app.extensions["heed.sessionmaker"]
    with only_new.app_context():
        assert db.session.scalar(select(User.phone).where(User.id == user.id)) == "+12025550166"
        assert db.session.get(DiaryEntry, entry_id).notes == "Rough night."
        changes = db.session.scalar(
            select(DiaryRevision.changes).where(DiaryRevision.entry_id == entry_id)
        )
        assert changes["notes"] == [None, "Rough night."]
    rotated.extensions["heed.engine"].dispose()
    only_new.extensions["heed.engine"].dispose()
