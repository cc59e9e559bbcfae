"""Second-factor secrets at rest: the TOTP secret and an administrator's reset reason are
Fernet tokens in the database, `rotate-keys` re-encrypts them; REQUIRE_STAFF_2FA defaults."""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import Text, select, type_coerce

from app import create_app
from app.auth.mfa.models import SecondFactorReset, TotpFactor
from app.config import load_settings
from app.db import db
from tests.auth.mfa_helpers import with_totp


def test_the_totp_secret_is_encrypted_and_rotate_keys_finds_it(app, database_url, make):
    user = make.clinician()
    admin = make.admin()
    secret = with_totp(app, user)
    with app.test_request_context():
        db.session.add(
            SecondFactorReset(user_id=user.id, reset_by_id=admin.id, reason="Lost phone")
        )
        db.session.commit()
        column = TotpFactor.__table__.c.secret
        stored = db.session.scalar(
            select(type_coerce(column, Text)).where(TotpFactor.__table__.c.user_id == user.id)
        )
    assert stored is not None and secret not in stored and stored.startswith("gAAAA")
    old_key = app.config["FIELD_ENCRYPTION_KEYS"][0]
    new_key = Fernet.generate_key().decode()
    rotated = create_app(
        {"DATABASE_URL": database_url, "FIELD_ENCRYPTION_KEYS": [new_key, old_key]}
    )
    rotated.extensions["heed.sessionmaker"] = app.extensions["heed.sessionmaker"]
    output = rotated.test_cli_runner().invoke(args=["rotate-keys"]).output
    assert "mfa_totp.secret: 1" in output and "mfa_resets.reason: 1" in output
    only_new = create_app({"DATABASE_URL": database_url, "FIELD_ENCRYPTION_KEYS": [new_key]})
    only_new.extensions["heed.sessionmaker"] = app.extensions["heed.sessionmaker"]
    with only_new.app_context():
        assert db.session.get(TotpFactor, user.id).secret == secret
        assert db.session.scalar(select(SecondFactorReset.reason)) == "Lost phone"
    for application in (rotated, only_new):
        application.extensions["heed.engine"].dispose()


def test_staff_second_factor_is_required_in_production_by_default(tmp_path: Path):
    production = {
        "HEED_ENV": "production",
        "SECRET_KEY": "s",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": "b",
        "DATABASE_URL": "postgresql://db/heed",
        "MAIL_SMTP_HOST": "smtp.invalid",
        "MAIL_FROM": "Heed <no-reply@heed.invalid>",
        "SMS_BACKEND": "console",
    }
    assert load_settings(tmp_path, production).values["REQUIRE_STAFF_2FA"] is True
    off = {**production, "REQUIRE_STAFF_2FA": "0"}
    assert load_settings(tmp_path, off).values["REQUIRE_STAFF_2FA"] is False
    for env in ("development", "testing"):
        assert load_settings(tmp_path, {"HEED_ENV": env}).values["REQUIRE_STAFF_2FA"] is False
    assert load_settings(tmp_path, {"REQUIRE_STAFF_2FA": "1"}).values["REQUIRE_STAFF_2FA"] is True
