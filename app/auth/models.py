"""People who sign in (or will, once invited), their one-time tokens and login throttling."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UUIDPrimaryKey, str_enum, utcnow
from app.security import EncryptedText

if TYPE_CHECKING:
    from app.careteam.models import Clinic


class Role(StrEnum):
    PATIENT = "patient"
    CAREGIVER = "caregiver"
    CLINICIAN = "clinician"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.CLINICIAN, Role.COORDINATOR, Role.ADMIN})
REMEMBER_ME_ROLES = frozenset({Role.PATIENT, Role.CAREGIVER})
ONBOARDED_ROLES = frozenset({Role.PATIENT, Role.CAREGIVER})
"""Roles shown the introduction to Heed at their first sign-in."""


class Discipline(StrEnum):
    PRIMARY_CARE = "primary_care"
    PSYCHOLOGY = "psychology"
    PSYCHIATRY = "psychiatry"
    SOCIAL_WORK = "social_work"
    PHYSIOTHERAPY = "physiotherapy"
    OCCUPATIONAL_THERAPY = "occupational_therapy"
    NUTRITION = "nutrition"
    NURSING = "nursing"


class User(UserMixin, UUIDPrimaryKey, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'clinician' AND discipline IS NOT NULL)"
            " OR (role <> 'clinician' AND discipline IS NULL)",
            name="discipline_only_for_clinicians",
        ),
        CheckConstraint("session_version >= 1", name="session_version_positive"),
        Index("ix_users_phone_index", "phone_index"),
    )

    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    discipline: Mapped[Discipline | None] = mapped_column(str_enum(Discipline, "discipline"))
    clinic_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinics.id"))
    display_name: Mapped[str] = mapped_column(String(120))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    phone: Mapped[str | None] = mapped_column(EncryptedText())
    phone_index: Mapped[str | None] = mapped_column(String(64))
    session_version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # When a patient or caregiver finished or skipped the introduction shown at their first
    # sign-in; NULL until then (staff never see it).
    onboarded_at: Mapped[datetime | None]

    clinic: Mapped[Clinic | None] = relationship()

    def get_id(self) -> str:
        # The session version is part of the id: bumping it signs out every copy
        # of this user's session and remember-me cookies.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active and self.password_hash is not None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def needs_onboarding(self) -> bool:
        return self.role in ONBOARDED_ROLES and self.onboarded_at is None


class TokenPurpose(StrEnum):
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a token kind, not a secret
    INVITATION = "invitation"


class OneTimeToken(UUIDPrimaryKey, Base):
    """A hashed, expiring, single-use secret sent by email or SMS."""

    __tablename__ = "one_time_tokens"

    digest: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose, "token_purpose"))
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failed sign-ins per account (keyed by a digest of the email), shared by all processes."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
