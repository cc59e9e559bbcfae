"""Configuration comes only from the environment; production refuses unsafe setups."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from app.config import ConfigError, load_settings

PROD = {
    "HEED_ENV": "production",
    "SECRET_KEY": "s" * 40,
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": "b" * 40,
    "DATABASE_URL": "postgresql://heed@db.internal/heed",
    "TWILIO_AUTH_TOKEN": "t" * 32,
    "MAIL_SMTP_HOST": "smtp.clinic.invalid",
    "MAIL_FROM": "Heed <heed@clinic.invalid>",
}


def test_development_needs_no_configuration(tmp_path: Path):
    values = load_settings(tmp_path, {}).values
    assert values["DATABASE_URL"].startswith("sqlite:///")
    assert values["SMS_BACKEND"] == "console"
    assert values["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"])
def test_production_refuses_to_start_without_secrets(tmp_path: Path, missing: str):
    env = {k: v for k, v in PROD.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        load_settings(tmp_path, env)


def test_production_refuses_sqlite_unless_explicitly_allowed(tmp_path: Path):
    env = {**PROD, "DATABASE_URL": "sqlite:////tmp/x.db"}
    with pytest.raises(ConfigError, match="SQLite"):
        load_settings(tmp_path, env)
    assert (
        load_settings(tmp_path, {**env, "ALLOW_SQLITE_IN_PRODUCTION": "1"}).values["DATABASE_URL"]
        == env["DATABASE_URL"]
    )


def test_production_cookies_are_secure_and_remember_me_is_bounded(tmp_path: Path):
    values = load_settings(tmp_path, PROD).values
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["REMEMBER_COOKIE_SECURE"] is True
    assert values["REMEMBER_COOKIE_HTTPONLY"] is True
    assert values["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert values["REMEMBER_COOKIE_DURATION"].days <= 30
    assert values["DATABASE_URL"].startswith("postgresql+psycopg://")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HEED_ENV": "staging"}, "HEED_ENV"),
        ({"DEFAULT_LOCALE": "zz"}, "DEFAULT_LOCALE"),
        ({"SMS_BACKEND": "pigeon"}, "SMS_BACKEND"),
        ({"STAFF_IDLE_TIMEOUT_MINUTES": "soon"}, "STAFF_IDLE_TIMEOUT_MINUTES"),
    ],
)
def test_bad_settings_are_named_in_the_error(tmp_path: Path, env: dict[str, str], message: str):
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path, env)


def test_twilio_backend_refuses_to_start_without_an_auth_token(tmp_path: Path):
    env = {k: v for k, v in PROD.items() if k != "TWILIO_AUTH_TOKEN"}
    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN"):
        load_settings(tmp_path, env)
    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN"):
        load_settings(tmp_path, {"SMS_BACKEND": "twilio"})
    assert load_settings(tmp_path, {**env, "SMS_BACKEND": "console"}).values["SMS_BACKEND"] == (
        "console"
    )


def test_sms_settings_have_defaults_and_are_validated(tmp_path: Path):
    values = load_settings(tmp_path, {}).values
    assert values["SMS_DIARY_TIME"].isoformat(timespec="minutes") == "19:30"
    assert values["SMS_QUIET_START"].isoformat(timespec="minutes") == "21:00"
    assert values["SMS_QUIET_END"].isoformat(timespec="minutes") == "08:00"
    with pytest.raises(ConfigError, match="SMS_DIARY_TIME"):
        load_settings(tmp_path, {"SMS_DIARY_TIME": "half past seven"})
    with pytest.raises(ConfigError, match="SMS_DISPATCH_BATCH"):
        load_settings(tmp_path, {"SMS_DISPATCH_BATCH": "0"})


@pytest.mark.parametrize("missing", ["MAIL_SMTP_HOST", "MAIL_FROM"])
def test_production_sends_email_over_smtp_and_needs_a_host_and_sender(tmp_path: Path, missing):
    values = load_settings(tmp_path, PROD).values
    assert values["MAIL_BACKEND"] == "smtp"
    assert (values["MAIL_SMTP_PORT"], values["MAIL_SMTP_SECURITY"]) == (587, "starttls")
    with pytest.raises(ConfigError, match=missing):
        load_settings(tmp_path, {k: v for k, v in PROD.items() if k != missing})
    # Keeping mail in memory in production is a deliberate choice (the benchmark does).
    assert load_settings(tmp_path, {**PROD, "MAIL_BACKEND": "console"}).values["MAIL_BACKEND"]


def test_mail_settings_are_checked(tmp_path: Path):
    assert load_settings(tmp_path, {}).values["MAIL_BACKEND"] == "console"
    ssl_port = load_settings(tmp_path, {**PROD, "MAIL_SMTP_SECURITY": "ssl"}).values
    assert ssl_port["MAIL_SMTP_PORT"] == 465
    with pytest.raises(ConfigError, match="MAIL_BACKEND"):
        load_settings(tmp_path, {"MAIL_BACKEND": "pigeon"})
    with pytest.raises(ConfigError, match="MAIL_SMTP_SECURITY"):
        load_settings(tmp_path, {"MAIL_SMTP_SECURITY": "tls1.0"})
    with pytest.raises(ConfigError, match="MAIL_SMTP_PORT"):
        load_settings(tmp_path, {"MAIL_SMTP_PORT": "smtp"})
