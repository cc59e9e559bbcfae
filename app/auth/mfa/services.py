"""Second-factor sign-in: the partially signed-in state between the password and the second
factor, completing a sign-in, the REQUIRE_STAFF_2FA gate, removal and the administrator's
reset. Every event is audited (object: the person's user id; no secrets, no codes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, session
from flask_login import current_user, login_user
from sqlalchemy import delete, exists, select

from app import audit
from app.audit import Outcome
from app.auth import services as auth_services
from app.auth.mfa import totp
from app.auth.mfa.models import Passkey, RecoveryCode, SecondFactorReset, TotpFactor
from app.auth.models import REMEMBER_ME_ROLES, User
from app.db import db, utcnow
from app.i18n import speak_link_language

PENDING = "_heed_mfa_pending"
VERIFIED_AT = "_heed_mfa_at"
VERIFY, ENROL = "verify", "enrol"
REASON_MAX = 500


# --- what a person has ----------------------------------------------------------------------


def has_passkey(user: User) -> bool:
    return bool(db.session.scalar(select(exists().where(Passkey.user_id == user.id))))


def has_second_factor(user: User) -> bool:
    return totp.confirmed(user) is not None or has_passkey(user)


def must_enrol(user: User) -> bool:
    return (
        bool(current_app.config["REQUIRE_STAFF_2FA"])
        and user.is_staff
        and not has_second_factor(user)
    )


# --- the partially signed-in state ----------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    user: User
    stage: str
    remember: bool
    next_url: str | None


def begin(*, user: User, stage: str, remember: bool, next_url: str | None) -> None:
    """Password accepted: remember who (and their session version) for five minutes. Nothing
    but the second-factor (or enrolment) pages reads this; the person is not signed in."""
    session[PENDING] = {
        "user": str(user.id),
        "version": user.session_version,
        "stage": stage,
        "remember": remember,
        "next": next_url,
        "at": utcnow().isoformat(),
    }


def pending(stage: str, now: datetime | None = None) -> Pending | None:
    """The partial state for `stage` if it is still valid (not expired, same session version,
    account active); an expired or stale state is removed."""
    state = session.get(PENDING)
    if not isinstance(state, dict) or state.get("stage") != stage:
        return None
    lifetime: timedelta = current_app.config["MFA_PENDING_LIFETIME"]
    try:
        started = datetime.fromisoformat(state["at"])
        user = db.session.get(User, uuid.UUID(state["user"]))
    except (KeyError, TypeError, ValueError):
        user, started = None, None
    if (
        user is None
        or started is None
        or (now or utcnow()) - started > lifetime
        or not user.is_active
        or user.session_version != state.get("version")
    ):
        session.pop(PENDING, None)
        return None
    # The password has named the person: the partial state's pages speak their language.
    speak_link_language(user.locale)
    return Pending(
        user=user,
        stage=stage,
        remember=bool(state.get("remember")),
        next_url=state.get("next") if isinstance(state.get("next"), str) else None,
    )


def abandon() -> None:
    session.pop(PENDING, None)


def complete(*, user: User, remember: bool, method: str | None) -> None:
    """The whole sign-in succeeded: clear failures, sign in, note when the second factor was
    last shown (`method` None: signed in without one)."""
    abandon()
    auth_services.clear_failures(user)
    login_user(user, remember=remember and user.role in REMEMBER_ME_ROLES)
    if method is not None:
        mark_verified()
        audit.record("auth.mfa_verified", object_type=method, **about(user))


def mark_verified() -> None:
    session[VERIFIED_AT] = utcnow().isoformat()


def verified_recently(within: timedelta, now: datetime | None = None) -> bool:
    try:
        at = datetime.fromisoformat(session.get(VERIFIED_AT) or "")
    except ValueError:
        return False
    return (now or utcnow()) - at <= within


def fail(user: User, method: str) -> datetime | None:
    """A wrong second factor: audited, counted by the lockout; returns its end if locked."""
    audit.record("auth.mfa_failed", object_type=method, outcome=Outcome.DENIED, **about(user))
    return auth_services.record_second_factor_failure(user)


def about(user: User) -> dict[str, object]:
    """The audit fields of an event about `user`'s sign-in (the actor is whoever is signed in,
    if anyone): no patient, the person's user id as the object."""
    return {"patient_id": None, "object_id": str(user.id)}


# --- removal and reset ----------------------------------------------------------------------


def remove_totp(*, user: User) -> bool:
    removed = db.session.execute(delete(TotpFactor).where(TotpFactor.user_id == user.id))
    if removed.rowcount:
        _drop_codes_without_factor(user)
        audit.record("auth.mfa_removed", object_type="totp", **about(user))
    return bool(removed.rowcount)


def _drop_codes_without_factor(user: User) -> None:
    """Recovery codes stand in for a factor; with no factor left they go too."""
    db.session.flush()
    if not has_second_factor(user):
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def after_passkey_removed(user: User) -> None:
    _drop_codes_without_factor(user)
    audit.record("auth.mfa_removed", object_type="passkey", **about(user))


def reset(*, user: User, reason: str) -> SecondFactorReset:
    """An administrator removes every second factor of `user` (lost phone or key) with a
    reason; the person is signed out everywhere and sets up a new factor at next sign-in."""
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValueError("a reason of 1-500 characters is required")
    for model in (TotpFactor, Passkey, RecoveryCode):
        db.session.execute(delete(model).where(model.user_id == user.id))
    row = SecondFactorReset(user_id=user.id, reset_by_id=current_user.id, reason=reason)
    db.session.add(row)
    db.session.flush()
    auth_services.end_all_sessions(user)
    audit.record("auth.mfa_reset", object_type="user", **about(user))
    return row
