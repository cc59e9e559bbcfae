"""Personal access tokens: a person's own keys for integrations, hashed at rest."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UUIDPrimaryKey, str_enum, utcnow


class TokenScope(StrEnum):
    READ = "read"
    WRITE = "write"


class ApiToken(UUIDPrimaryKey, Base):
    """Only the SHA-256 of the secret is kept (the secret is 256 random bits, so a slow hash
    adds nothing); `prefix` (the secret's first characters) lets the person recognise it."""

    __tablename__ = "api_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    scope: Mapped[TokenScope] = mapped_column(str_enum(TokenScope, "api_token_scope"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # The rate limit's current window (one minute) and the requests counted in it.
    window_started_at: Mapped[datetime | None]
    window_count: Mapped[int] = mapped_column(Integer, default=0)

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
