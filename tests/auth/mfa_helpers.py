"""Shared set-up for the second-factor tests: factors stored directly, codes computed."""

from __future__ import annotations

import json

import pyotp
from flask import Flask

from app.auth.mfa import passkeys, recovery, totp
from app.auth.mfa.models import Passkey, TotpFactor
from app.auth.models import User
from app.db import db, utcnow
from tests.auth.softkey import SoftKey


def with_totp(app: Flask, user: User) -> str:
    """Give `user` a confirmed authenticator app; returns its secret."""
    secret = totp.new_secret()
    with app.test_request_context():
        db.session.add(TotpFactor(user_id=user.id, secret=secret, confirmed_at=utcnow()))
        db.session.commit()
    return secret


def with_codes(app: Flask, user: User) -> list[str]:
    with app.test_request_context():
        codes = recovery.replace_codes(user=db.session.get(User, user.id))
        db.session.commit()
    return codes


def now_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def with_passkey(app: Flask, user: User) -> SoftKey:
    """Register a software passkey for `user` through the service (as the ceremony would)."""
    with app.test_request_context():
        rp_id, origin = passkeys.relying_party()
        key = SoftKey(origin, rp_id)
        person = db.session.get(User, user.id)
        options = json.loads(passkeys.registration_options(person))
        passkeys.register(user=person, credential=key.create(options), name="Test key")
        db.session.commit()
    return key


def passkey_count(app: Flask, user: User) -> int:
    with app.app_context():
        return len(db.session.query(Passkey).filter_by(user_id=user.id).all())
