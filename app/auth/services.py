"""Sign-in, throttling, session invalidation, one-time tokens and account preferences."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app import audit
from app.auth.models import Discipline, LoginThrottle, OneTimeToken, Role, TokenPurpose, User
from app.db import db, utcnow
from app.security import (
    blind_index,
    hash_password,
    new_token,
    normalize_phone,
    password_needs_rehash,
    token_digest,
    verify_password,
)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked_until: datetime | None = None


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _throttle_key(email: str) -> str:
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()


def _throttle(key: str) -> LoginThrottle:
    row = db.session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_started_at=utcnow())
        db.session.add(row)
        db.session.flush()
    return row


def authenticate(*, email: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check credentials against a database-backed lockout shared by every process."""
    now = now or utcnow()
    key = _throttle_key(email)
    throttle = db.session.get(LoginThrottle, key)
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        return LoginResult(user=None, locked_until=throttle.locked_until)

    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is not None and user.is_active and verify_password(user.password_hash, password):
        # Failures are cleared only once the whole sign-in succeeds (`clear_failures`): a
        # right password must not reset the count of wrong second-factor codes.
        if password_needs_rehash(user.password_hash or ""):
            user.password_hash = hash_password(password)
        user.last_login_at = now
        db.session.flush()
        return LoginResult(user=user)
    if user is None:
        verify_password(None, password)  # same cost as a real check
    return LoginResult(user=None, locked_until=_record_failure(key, now))


def locked_until(user: User, now: datetime | None = None) -> datetime | None:
    """When this person's sign-in lockout ends, if it is in force now."""
    throttle = db.session.get(LoginThrottle, _throttle_key(user.email or str(user.id)))
    if throttle is None or throttle.locked_until is None:
        return None
    return throttle.locked_until if throttle.locked_until > (now or utcnow()) else None


def record_second_factor_failure(user: User, now: datetime | None = None) -> datetime | None:
    """A wrong second factor counts like a wrong password; returns the lockout end if any."""
    return _record_failure(_throttle_key(user.email or str(user.id)), now or utcnow())


def clear_failures(user: User) -> None:
    """The whole sign-in succeeded: forget earlier failures."""
    throttle = db.session.get(LoginThrottle, _throttle_key(user.email or str(user.id)))
    if throttle is not None:
        db.session.delete(throttle)
        db.session.flush()


def _record_failure(key: str, now: datetime) -> datetime | None:
    window: timedelta = current_app.config["LOGIN_LOCKOUT"]
    row = _throttle(key)
    if row.window_started_at < now - window:
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    # Increment in SQL so concurrent failures in other processes are all counted.
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key)
        .values(failures=LoginThrottle.failures + 1)
    )
    db.session.refresh(row)
    if row.failures >= current_app.config["LOGIN_MAX_FAILURES"]:
        row.locked_until = now + window
    db.session.flush()
    return row.locked_until if row.failures >= current_app.config["LOGIN_MAX_FAILURES"] else None


def end_all_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie this user holds."""
    db.session.execute(
        update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
    )
    db.session.refresh(user)


def change_password(*, user: User, current: str, new: str) -> LoginResult:
    """Check `current` exactly like a sign-in (the same lockout counts wrong guesses), then store
    `new` (argon2id), end every session and remember-me cookie of this user (the caller signs
    the current one in again) and audit the change. The result's user is None, and nothing
    changed, when `current` is wrong or the account is locked."""
    result = authenticate(email=user.email, password=current)
    if result.user is None or result.user.id != user.id:
        return LoginResult(user=None, locked_until=result.locked_until)
    user.password_hash = hash_password(new)
    db.session.flush()
    end_all_sessions(user)
    audit.record(
        "account.password_change", patient_id=None, object_type="user", object_id=str(user.id)
    )
    return result


def issue_token(*, user: User, purpose: TokenPurpose, lifetime: timedelta) -> str:
    raw, digest = new_token()
    db.session.add(
        OneTimeToken(
            digest=digest, purpose=purpose, user_id=user.id, expires_at=utcnow() + lifetime
        )
    )
    db.session.flush()
    return raw


def peek_token(raw: str, purpose: TokenPurpose) -> OneTimeToken | None:
    """The token if it is valid now, without using it (for showing the form)."""
    return db.session.scalar(
        select(OneTimeToken).where(
            OneTimeToken.digest == token_digest(raw),
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.expires_at > utcnow(),
        )
    )


def token_owner_locale(raw: str) -> str | None:
    """The stored language of whoever a token was made for, used or expired alike: a page
    saying the link no longer works still speaks their language."""
    return db.session.scalar(
        select(User.locale)
        .join(OneTimeToken, OneTimeToken.user_id == User.id)
        .where(OneTimeToken.digest == token_digest(raw))
    )


def set_password_with_token(*, raw_token: str, purpose: TokenPurpose, password: str) -> User | None:
    """Atomically consume the token and set the password; None if expired, used or unknown."""
    now = utcnow()
    token = peek_token(raw_token, purpose)
    if token is None:
        return None
    claimed = db.session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.id == token.id, OneTimeToken.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # used by a concurrent request
        return None
    user = token.user
    user.password_hash = hash_password(password)
    user.active = True
    db.session.flush()
    end_all_sessions(user)
    return user


def request_password_reset(*, email: str) -> tuple[User, str] | None:
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or not user.active or user.password_hash is None:
        return None
    lifetime: timedelta = current_app.config["TOKEN_LIFETIME_RESET"]
    return user, issue_token(user=user, purpose=TokenPurpose.PASSWORD_RESET, lifetime=lifetime)


class AccountError(ValueError):
    """A request that cannot be carried out; `message` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def create_invited_user(
    *,
    role: Role,
    display_name: str,
    email: str | None,
    locale: str,
    timezone: str = "UTC",
    phone: str | None = None,
    clinic_id: uuid.UUID | None = None,
    discipline: Discipline | None = None,
) -> tuple[User, str]:
    """An account without a password, activated through a one-time invitation link."""
    if email and db.session.scalar(select(User.id).where(User.email == normalize_email(email))):
        raise AccountError(_("An account with that email already exists."))
    user = User(
        email=normalize_email(email) if email else None,
        display_name=display_name,
        role=role,
        discipline=discipline,
        clinic_id=clinic_id,
        locale=locale,
        timezone=timezone,
        password_hash=None,
    )
    db.session.add(user)
    set_phone(user=user, raw=phone)
    db.session.flush()
    lifetime: timedelta = current_app.config["TOKEN_LIFETIME_INVITATION"]
    return user, issue_token(user=user, purpose=TokenPurpose.INVITATION, lifetime=lifetime)


def update_preferences(
    *, user: User, locale: str | None = None, timezone: str | None = None, phone: str | None = None
) -> None:
    """Save language, time zone and (validated, E.164) phone number; an empty phone clears it."""
    if locale is not None:
        user.locale = locale
    if timezone is not None:
        user.timezone = timezone
    if phone is not None:  # None leaves the number alone (e.g. a language switch)
        set_phone(user=user, raw=phone)
    db.session.flush()


def set_phone(*, user: User, raw: str | None) -> None:
    """Store a phone number as encrypted E.164 with its blind index (raises InvalidPhoneNumber)."""
    if not raw:
        user.phone, user.phone_index = None, None
        return
    e164 = normalize_phone(raw)
    if user.phone_index != blind_index(e164):
        user.phone, user.phone_index = e164, blind_index(e164)


def finish_onboarding(*, user: User) -> None:
    """The person finished or skipped the introduction: it is not shown at sign-in again."""
    if user.onboarded_at is None:
        user.onboarded_at = utcnow()
    db.session.flush()
