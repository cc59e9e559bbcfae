"""One-time, expiring links that open exactly one task, without a password.

Only a SHA-256 digest of the secret is stored. Redeeming a link (a POST from the
confirmation page, so link previews cannot use it up) marks it used and puts a
*task grant* into the browser session; it does not sign the person in. Task views
call `task_grant_for(purpose, target, local_date)` and accept either a signed-in
owner or that grant; every other page still asks for a password.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime

from flask import current_app, session
from sqlalchemy import select, update

from app.auth.models import User
from app.db import db, utcnow
from app.prompts.kinds import TaskGrant, catalogue
from app.prompts.models import PromptPurpose
from app.security import token_digest
from app.session_keys import TASK_GRANT
from app.sms.models import MagicLink


def resolve(grant: TaskGrant) -> str | None:
    """The task page the link lands on (declared by the purpose's prompt kind)."""
    return catalogue().landing(grant)


def new_link(
    *,
    user_id: uuid.UUID,
    patient_id: uuid.UUID,
    purpose: PromptPurpose,
    target: str,
    local_date: date,
    expires_at: datetime,
) -> tuple[str, MagicLink]:
    """A link secret (128 bits, short enough for SMS) and its unsaved row (digest only)."""
    raw = secrets.token_urlsafe(16)
    link = MagicLink(
        digest=token_digest(raw),
        user_id=user_id,
        patient_id=patient_id,
        purpose=purpose,
        target=target,
        local_date=local_date,
        expires_at=expires_at,
    )
    return raw, link


def url_for_token(raw: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/m/{raw}"


def peek(raw: str, *, now: datetime | None = None) -> MagicLink | None:
    now = now or utcnow()
    return db.session.scalar(
        select(MagicLink).where(
            MagicLink.digest == token_digest(raw),
            MagicLink.used_at.is_(None),
            MagicLink.expires_at > now,
        )
    )


def owner_locale(raw: str) -> str | None:
    """The stored language of whoever a link was sent to, used or expired alike."""
    return db.session.scalar(
        select(User.locale)
        .join(MagicLink, MagicLink.user_id == User.id)
        .where(MagicLink.digest == token_digest(raw))
    )


def redeem(raw: str, *, now: datetime | None = None) -> TaskGrant | None:
    """Use the link once: None when unknown, expired or already used (also under concurrency)."""
    now = now or utcnow()
    link = peek(raw, now=now)
    if link is None:
        return None
    claimed = db.session.execute(
        update(MagicLink)
        .where(MagicLink.id == link.id, MagicLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    db.session.flush()
    return TaskGrant(
        user_id=link.user_id,
        patient_id=link.patient_id,
        purpose=link.purpose,
        target=link.target,
        local_date=link.local_date,
        expires_at=now + current_app.config["SMS_TASK_SESSION"],
    )


def store_grant(grant: TaskGrant) -> None:
    session[TASK_GRANT] = {
        "user": str(grant.user_id),
        "patient": str(grant.patient_id),
        "purpose": grant.purpose.value,
        "target": grant.target,
        "date": grant.local_date.isoformat(),
        "expires": grant.expires_at.isoformat(),
    }


def current_grant(*, now: datetime | None = None) -> TaskGrant | None:
    raw = session.get(TASK_GRANT)
    if not isinstance(raw, dict):
        return None
    try:
        grant = TaskGrant(
            user_id=uuid.UUID(raw["user"]),
            patient_id=uuid.UUID(raw["patient"]),
            purpose=PromptPurpose(raw["purpose"]),
            target=str(raw["target"]),
            local_date=date.fromisoformat(raw["date"]),
            expires_at=datetime.fromisoformat(raw["expires"]),
        )
    except (KeyError, ValueError, TypeError):
        session.pop(TASK_GRANT, None)
        return None
    if grant.expires_at <= (now or utcnow()):
        session.pop(TASK_GRANT, None)
        return None
    return grant


def task_grant_for(
    purpose: PromptPurpose, target: str, local_date: date | None = None
) -> TaskGrant | None:
    """The grant in this session if it opens exactly this task; otherwise None."""
    grant = current_grant()
    if grant is None or grant.purpose != purpose or grant.target != target:
        return None
    if local_date is not None and grant.local_date != local_date:
        return None
    return grant
