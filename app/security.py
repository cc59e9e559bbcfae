"""Password hashing (argon2id), field encryption (MultiFernet), blind indexes and one-time tokens."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

import phonenumbers
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

# OWASP-recommended argon2id parameters in production; tests use cheap ones.
_HASHERS = {
    "default": {"time_cost": 3, "memory_cost": 65536, "parallelism": 4},
    "fast": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
}


def init_app(app: Flask) -> None:
    profile = "fast" if app.config.get("TESTING") else "default"
    app.extensions["heed.hasher"] = PasswordHasher(**_HASHERS[profile])
    app.extensions["heed.fernet"] = MultiFernet(
        [Fernet(key.encode()) for key in app.config["FIELD_ENCRYPTION_KEYS"]]
    )


def _hasher() -> PasswordHasher:
    return current_app.extensions["heed.hasher"]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-ish time check; an account without a password never verifies."""
    if not password_hash:
        # Spend comparable time so unknown accounts are not distinguishable by timing.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def _fernet() -> MultiFernet:
    return current_app.extensions["heed.fernet"]


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("field cannot be decrypted with the configured keys") from exc


def rotate(token: str) -> str:
    """Re-encrypt with the primary (first) key; older keys may then be retired."""
    return _fernet().rotate(token.encode()).decode()


class EncryptedText(TypeDecorator[str]):
    """Text encrypted at rest with the app's MultiFernet keys."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document encrypted at rest as one token (nothing in it is queryable)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else json.loads(decrypt(value))


ENCRYPTED_TYPES = (EncryptedText, EncryptedJSON)


def blind_index(value: str) -> str:
    """Deterministic keyed digest for equality look-ups on encrypted values."""
    key = current_app.config["BLIND_INDEX_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class InvalidPhoneNumber(ValueError):
    pass


def normalize_phone(raw: str, region: str | None = None) -> str:
    """Parse a phone number as a person types it and return E.164, or raise InvalidPhoneNumber."""
    region = region or current_app.config["DEFAULT_PHONE_REGION"]
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(raw) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str, region: str) -> str:
    """An E.164 number as a person in `region` dials it: national format for a number of that
    region, international (+country) otherwise."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    same = phonenumbers.region_code_for_number(parsed) == region
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)


def new_token() -> tuple[str, str]:
    """A URL-safe secret for the user and the digest we store (never the secret itself)."""
    raw = secrets.token_urlsafe(32)
    return raw, token_digest(raw)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
