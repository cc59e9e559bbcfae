"""TOTP (RFC 6238) with pyotp: 6 digits, 30-second steps, one step either side; a code is
accepted once (the last accepted step is stored and a conditional UPDATE refuses a replay,
whichever process sees it). QR codes are drawn server-side as SVG with segno."""

from __future__ import annotations

import hmac
import io
import uuid
from datetime import datetime

import pyotp
import segno
from sqlalchemy import or_, update

from app.auth.mfa.models import TotpFactor
from app.auth.models import User
from app.db import db, utcnow

STEP_SECONDS = 30
WINDOW = 1  # steps accepted either side of now (clock drift)
DIGITS = 6
ISSUER = "Heed"


# --- pure -----------------------------------------------------------------------------------


def new_secret() -> str:
    """A random base32 secret (160 bits, from `secrets`)."""
    return pyotp.random_base32(32)


def time_step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def normalize_code(raw: str) -> str:
    """What a person types, without spaces or dashes ("123 456" → "123456")."""
    return "".join(raw.split()).replace("-", "")


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (within ±WINDOW of now) whose code this is, or None."""
    code = normalize_code(code)
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    current = time_step(now)
    for step in range(current + WINDOW, current - WINDOW - 1, -1):
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=ISSUER
    )


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no external service, no script)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out, kind="svg", xmldecl=False, svgns=True, scale=4, border=4, svgclass="qr", title=None
    )
    return out.getvalue().decode()


def group(secret: str) -> str:
    """The secret in groups of four, as shown for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- stored ---------------------------------------------------------------------------------


def factor(user: User) -> TotpFactor | None:
    return db.session.get(TotpFactor, user.id)


def confirmed(user: User) -> TotpFactor | None:
    row = factor(user)
    return row if row is not None and row.confirmed_at is not None else None


def start_enrolment(*, user: User) -> TotpFactor:
    """A new unconfirmed secret (replacing an earlier unconfirmed one); a confirmed factor
    must be removed first."""
    row = factor(user)
    if row is not None and row.confirmed_at is not None:
        raise ValueError("an authenticator app is already set up")
    if row is None:
        row = TotpFactor(user_id=user.id, secret=new_secret())
        db.session.add(row)
    else:
        row.secret, row.created_at = new_secret(), utcnow()
    db.session.flush()
    return row


def claim_step(*, user_id: uuid.UUID, step: int, now: datetime) -> bool:
    """Record `step` as used if it is later than the last used one; False for a replay.
    One conditional UPDATE, so two processes cannot both accept the same code."""
    result = db.session.execute(
        update(TotpFactor)
        .where(
            TotpFactor.user_id == user_id,
            or_(TotpFactor.last_step.is_(None), TotpFactor.last_step < step),
        )
        .values(last_step=step, last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def verify(*, user: User, code: str, now: datetime | None = None, pending: bool = False) -> bool:
    """Check a code against the confirmed factor (or, with `pending`, the one being set up)
    and use it up. False for a wrong, expired or already used code."""
    now = now or utcnow()
    row = factor(user)
    if row is None or (row.confirmed_at is None) != pending:
        return False
    step = matching_step(row.secret, code, now)
    if step is None or not claim_step(user_id=user.id, step=step, now=now):
        return False
    if pending:
        row.confirmed_at = now
    db.session.flush()
    db.session.refresh(row)
    return True
