"""Personal access tokens: create, revoke, list, and verify one presented with a request.

A token acts as its person, through the same access policy, for as long as it lives. Admins
get none: their only way to a patient's data is break-glass, in a signed-in session."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app import audit
from app.api.models import ApiToken, TokenScope
from app.auth.models import Role, User
from app.careteam.models import Patient
from app.db import db, utcnow

PREFIX = "heed_pat_"
WINDOW = timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def may_hold_tokens(user: User) -> bool:
    return user.is_active and user.role != Role.ADMIN


def _own_patient_id(user: User) -> uuid.UUID | None:
    """The audit trail files a patient's token events under their own record."""
    if user.role != Role.PATIENT:
        return None
    return db.session.scalar(select(Patient.id).where(Patient.user_id == user.id))


def create_token(*, user: User, name: str, scope: TokenScope, days: int) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once, never stored)."""
    if not may_hold_tokens(user):
        raise PermissionError("admins hold no access tokens")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        scope=scope,
        token_hash=digest(secret),
        prefix=secret[: len(PREFIX) + 4],
        expires_at=utcnow() + timedelta(days=days),
        window_count=0,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api.token_create",
        patient_id=_own_patient_id(user),
        object_type="api_token",
        object_id=str(token.id),
    )
    return token, secret


def revoke_token(*, user: User, token_id: uuid.UUID) -> bool:
    """Revoke one of the person's own tokens; False when there is no such live token."""
    token = db.session.scalar(
        select(ApiToken).where(
            ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
        )
    )
    if token is None:
        return False
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record(
        "api.token_revoke",
        patient_id=_own_patient_id(user),
        object_type="api_token",
        object_id=str(token.id),
    )
    return True


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


@dataclass(frozen=True)
class Presented:
    """A token presented with a request: its row and person (None: unknown, expired, revoked
    or an admin's), and whether it is over its rate limit (seconds to wait)."""

    token: ApiToken | None
    user: User | None
    retry_after: int = 0


def present(secret: str, *, limit: int, now: datetime | None = None) -> Presented:
    """Look a presented secret up and count the request against the token's rate limit
    (a window of one minute, shared by every worker since it lives in the row)."""
    now = now or utcnow()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None or not token.active(now):
        return Presented(None, None)
    user = db.session.get(User, token.user_id)
    if user is None or not may_hold_tokens(user):
        return Presented(None, None)
    started = token.window_started_at
    if started is None or now - started >= WINDOW:
        token.window_started_at, token.window_count = now, 0
        started = now
    if token.window_count >= limit:
        return Presented(
            token, user, retry_after=max(1, int((started + WINDOW - now).total_seconds()) + 1)
        )
    token.window_count += 1
    token.last_used_at = now
    db.session.commit()
    return Presented(token, user)
