"""Every setting Heed reads from the environment is read here, and only here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any

SUPPORTED_LOCALES = ("en", "es", "fr", "de", "pt", "ar")
RTL_LOCALES = frozenset({"ar"})

# Development-only fallbacks: never used when HEED_ENV=production.
_DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1zZWNyZXQtISE="  # urlsafe b64 of 32 bytes
_DEV_BLIND_INDEX_KEY = "dev-only-blind-index-key"


class ConfigError(RuntimeError):
    """Raised when the environment does not describe a safe configuration."""


def _flag(env: dict[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _minutes(env: dict[str, str], name: str, default: int) -> timedelta:
    raw = env.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number of minutes, got {raw!r}") from exc
    if value <= 0:
        raise ConfigError(f"{name} must be positive")
    return timedelta(minutes=value)


def _whole(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc
    if value <= 0:
        raise ConfigError(f"{name} must be positive")
    return value


def _clock_time(env: dict[str, str], name: str, default: str) -> time:
    raw = env.get(name) or default
    try:
        return time.fromisoformat(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a local time like 19:30, got {raw!r}") from exc


MAIL_SECURITY = ("starttls", "ssl", "none")


def _mail_settings(env: dict[str, str], production: bool) -> dict[str, Any]:
    """MAIL_*: the console outbox by default, SMTP in production (which then needs a host)."""
    backend = env.get("MAIL_BACKEND") or ("smtp" if production else "console")
    if backend not in {"console", "smtp"}:
        raise ConfigError("MAIL_BACKEND must be console or smtp")
    security = env.get("MAIL_SMTP_SECURITY") or "starttls"
    if security not in MAIL_SECURITY:
        raise ConfigError(f"MAIL_SMTP_SECURITY must be one of {', '.join(MAIL_SECURITY)}")
    values = {
        "MAIL_BACKEND": backend,
        "MAIL_FROM": env.get("MAIL_FROM") or "Heed <no-reply@heed.invalid>",
        "MAIL_SMTP_HOST": env.get("MAIL_SMTP_HOST", ""),
        "MAIL_SMTP_PORT": _whole(env, "MAIL_SMTP_PORT", 465 if security == "ssl" else 587),
        "MAIL_SMTP_SECURITY": security,
        "MAIL_SMTP_USERNAME": env.get("MAIL_SMTP_USERNAME", ""),
        "MAIL_SMTP_PASSWORD": env.get("MAIL_SMTP_PASSWORD", ""),
        "MAIL_TIMEOUT_SECONDS": _whole(env, "MAIL_TIMEOUT_SECONDS", 10),
    }
    if backend == "smtp":
        missing = [name for name in ("MAIL_SMTP_HOST", "MAIL_FROM") if not env.get(name)]
        if missing:
            raise ConfigError("MAIL_BACKEND=smtp needs " + ", ".join(missing))
    return values


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'heed.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    env_name: str
    values: dict[str, Any]


def load_settings(instance_path: Path, environ: dict[str, str] | None = None) -> Settings:
    """Build the Flask config mapping from the environment; refuse unsafe production setups."""
    env = dict(os.environ if environ is None else environ)
    env_name = env.get("HEED_ENV", "development").strip().lower()
    if env_name not in {"development", "production", "testing"}:
        raise ConfigError(f"HEED_ENV must be development, production or testing, not {env_name!r}")
    production = env_name == "production"

    database_url = env.get("DATABASE_URL") or default_database_url(instance_path)
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")

    secret_key = env.get("SECRET_KEY", "")
    field_keys = [k.strip() for k in env.get("FIELD_ENCRYPTION_KEYS", "").split(",") if k.strip()]
    blind_key = env.get("BLIND_INDEX_KEY", "")

    if production:
        missing = [
            name
            for name, value in (
                ("SECRET_KEY", secret_key),
                ("FIELD_ENCRYPTION_KEYS", field_keys),
                ("BLIND_INDEX_KEY", blind_key),
            )
            if not value
        ]
        if missing:
            raise ConfigError("Production needs these settings: " + ", ".join(missing))
        if database_url.startswith("sqlite") and not _flag(env, "ALLOW_SQLITE_IN_PRODUCTION"):
            raise ConfigError(
                "Production refuses SQLite; set DATABASE_URL to PostgreSQL "
                "or ALLOW_SQLITE_IN_PRODUCTION=1 deliberately."
            )

    default_locale = env.get("DEFAULT_LOCALE", "en")
    if default_locale not in SUPPORTED_LOCALES:
        raise ConfigError(f"DEFAULT_LOCALE must be one of {', '.join(SUPPORTED_LOCALES)}")

    sms_backend = env.get("SMS_BACKEND", "twilio" if production else "console")
    if sms_backend not in {"console", "twilio"}:
        raise ConfigError("SMS_BACKEND must be console or twilio")
    if sms_backend == "twilio" and not env.get("TWILIO_AUTH_TOKEN"):
        # Webhook signatures cannot be checked without it: fail closed, refuse to start.
        raise ConfigError("SMS_BACKEND=twilio needs TWILIO_AUTH_TOKEN (webhook signatures)")

    mail = _mail_settings(env, production)
    secure_cookies = _flag(env, "SECURE_COOKIES", default=production)
    values: dict[str, Any] = {
        "HEED_ENV": env_name,
        "TESTING": env_name == "testing",
        "SECRET_KEY": secret_key or _DEV_SECRET_KEY,
        "DATABASE_URL": database_url,
        "FIELD_ENCRYPTION_KEYS": field_keys or [_DEV_FIELD_KEY],
        "BLIND_INDEX_KEY": blind_key or _DEV_BLIND_INDEX_KEY,
        "SMS_BACKEND": sms_backend,
        "TWILIO_ACCOUNT_SID": env.get("TWILIO_ACCOUNT_SID", ""),
        "TWILIO_AUTH_TOKEN": env.get("TWILIO_AUTH_TOKEN", ""),
        "TWILIO_MESSAGING_SERVICE_SID": env.get("TWILIO_MESSAGING_SERVICE_SID", ""),
        "TWILIO_FROM_NUMBER": env.get("TWILIO_FROM_NUMBER", ""),
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "DEFAULT_LOCALE": default_locale,
        "DEFAULT_TIMEZONE": env.get("DEFAULT_TIMEZONE", "UTC"),
        "DEFAULT_PHONE_REGION": env.get("DEFAULT_PHONE_REGION", "US"),
        "BABEL_DEFAULT_LOCALE": default_locale,
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        "SUPPORTED_LOCALES": SUPPORTED_LOCALES,
        "STAFF_IDLE_TIMEOUT": _minutes(env, "STAFF_IDLE_TIMEOUT_MINUTES", 15),
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCKOUT": _minutes(env, "LOGIN_LOCKOUT_MINUTES", 15),
        # Second factor (app/auth/mfa): required of staff in production unless turned off.
        "REQUIRE_STAFF_2FA": _flag(env, "REQUIRE_STAFF_2FA", default=production),
        "MFA_PENDING_LIFETIME": timedelta(minutes=5),
        "TOKEN_LIFETIME_RESET": timedelta(hours=1),
        "TOKEN_LIFETIME_INVITATION": timedelta(days=7),
        "BREAK_GLASS_DURATION": timedelta(hours=1),
        "ALERT_ESCALATION_AFTER": _minutes(env, "ALERT_ESCALATION_MINUTES", 120),
        # Referrals (app/referrals): days without an answer before a referral is overdue, by
        # urgency; days after the expected first contact before the patient is asked.
        "REFERRAL_DAYS_URGENT": _whole(env, "REFERRAL_DAYS_URGENT", 2),
        "REFERRAL_DAYS_SOON": _whole(env, "REFERRAL_DAYS_SOON", 5),
        "REFERRAL_DAYS_ROUTINE": _whole(env, "REFERRAL_DAYS_ROUTINE", 14),
        "REFERRAL_CHECKBACK_DAYS": _whole(env, "REFERRAL_CHECKBACK_DAYS", 3),
        "REFERRAL_LINK_DAYS": _whole(env, "REFERRAL_LINK_DAYS", 14),
        # Cookies: the session cookie lives with the browser session; remember-me
        # cookies are only ever set for patients and caregivers (see auth.services).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_REFRESH_EACH_REQUEST": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        # SMS prompts (app/prompts, app/sms)
        "SMS_DIARY_TIME": _clock_time(env, "SMS_DIARY_TIME", "19:30"),
        "SMS_QUIET_START": _clock_time(env, "SMS_QUIET_START", "21:00"),
        "SMS_QUIET_END": _clock_time(env, "SMS_QUIET_END", "08:00"),
        "SMS_CHECKIN_TIME": _clock_time(env, "SMS_CHECKIN_TIME", "18:00"),
        "SMS_GRACE": _minutes(env, "SMS_GRACE_MINUTES", 30),
        "SMS_PLAN_AHEAD": _minutes(env, "SMS_PLAN_AHEAD_MINUTES", 15),
        "SMS_DISPATCH_BATCH": _whole(env, "SMS_DISPATCH_BATCH", 20),
        # The JSON API (app/api): requests per minute per personal access token, and the
        # longest a token may live.
        "API_RATE_LIMIT_PER_MINUTE": _whole(env, "API_RATE_LIMIT_PER_MINUTE", 120),
        "API_TOKEN_MAX_DAYS": _whole(env, "API_TOKEN_MAX_DAYS", 365),
        "SMS_MAX_ATTEMPTS": _whole(env, "SMS_MAX_ATTEMPTS", 5),
        "SMS_LEASE": _minutes(env, "SMS_LEASE_MINUTES", 2),
        "SMS_MAGIC_LINK_LIFETIME": _minutes(env, "SMS_MAGIC_LINK_MINUTES", 24 * 60),
        "SMS_TASK_SESSION": _minutes(env, "SMS_TASK_SESSION_MINUTES", 60),
        "SMS_CONVERSATION_LIFETIME": _minutes(env, "SMS_CONVERSATION_MINUTES", 4 * 60),
        "TWILIO_TIMEOUT_SECONDS": _whole(env, "TWILIO_TIMEOUT_SECONDS", 10),
        "CLOCK_LOCK_KEY": _whole(env, "CLOCK_LOCK_KEY", 0x48656564),
        **mail,
    }
    return Settings(env_name=env_name, values=values)
