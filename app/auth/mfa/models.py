"""What Heed keeps about a person's second factors. Secrets are encrypted or hashed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UUIDPrimaryKey, utcnow
from app.security import EncryptedText


class TotpFactor(Base):
    """One authenticator app per person. `confirmed_at` is set by the first correct code;
    `last_step` is the last accepted 30-second time step (a code is never accepted twice)."""

    __tablename__ = "mfa_totp"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    last_used_at: Mapped[datetime | None]


class Passkey(UUIDPrimaryKey, Base):
    """A WebAuthn credential: its id and public key (not secret), the signature counter."""

    __tablename__ = "mfa_passkeys"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    name: Mapped[str] = mapped_column(String(60))
    transports: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]


class RecoveryCode(UUIDPrimaryKey, Base):
    """One of ten single-use recovery codes, argon2id-hashed (salted)."""

    __tablename__ = "mfa_recovery_codes"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class SecondFactorReset(UUIDPrimaryKey, Base):
    """An administrator removed a person's second factors (lost phone or key): who, when and
    the reason they wrote (encrypted). Kept with the audit trail."""

    __tablename__ = "mfa_resets"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    reset_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UsedChallenge(Base):
    """WebAuthn challenges already answered (SHA-256 of the challenge), kept for a while
    beyond a ceremony's lifetime: an assertion replayed with an old copy of the session
    cookie finds its challenge here, whichever process it reaches."""

    __tablename__ = "mfa_used_challenges"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
