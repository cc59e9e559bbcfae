"""Recovery codes: ten single-use codes of 10 base32 characters (50 bits, from `secrets`),
shown once, stored as salted argon2id hashes; a new set replaces every earlier code."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, func, select, update

from app.auth.mfa.models import RecoveryCode
from app.auth.models import User
from app.db import db, utcnow
from app.security import hash_password, verify_password

COUNT = 10
LENGTH = 10
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, no 0/O or 1/I look-alikes
LOW = 2  # warn when this many or fewer are left


# --- pure -----------------------------------------------------------------------------------


def new_codes(count: int = COUNT) -> list[str]:
    """Fresh codes as shown: XXXXX-XXXXX."""
    codes = ["".join(secrets.choice(ALPHABET) for _ in range(LENGTH)) for _ in range(count)]
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def normalize(raw: str) -> str:
    """What a person types, as hashed: upper case, no spaces or dashes."""
    return "".join(raw.split()).replace("-", "").upper()


def looks_like_code(raw: str) -> bool:
    code = normalize(raw)
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


# --- stored ---------------------------------------------------------------------------------


def replace_codes(*, user: User) -> list[str]:
    """Delete every earlier code and store a new set; the codes are returned to show once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = new_codes()
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=hash_password(normalize(code))) for code in codes
    )
    db.session.flush()
    return codes


def remaining(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def use(*, user: User, raw: str, now: datetime | None = None) -> bool:
    """Use one unused code; False if it is wrong or used (also by a concurrent request)."""
    if not looks_like_code(raw):
        return False
    code = normalize(raw)
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in unused:
        if verify_password(row.code_hash, code):
            claimed = db.session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=now or utcnow())
                .execution_options(synchronize_session=False)
            )
            return claimed.rowcount == 1
    return False
