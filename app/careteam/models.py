"""Clinics, enrolled patients, care-team membership, caregivers and their consent scopes."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UUIDPrimaryKey, str_enum, utcnow


class Clinic(UUIDPrimaryKey, Base):
    __tablename__ = "clinics"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Patient(UUIDPrimaryKey, Base):
    """The clinical enrollment of a person; contact details and preferences live on the user."""

    __tablename__ = "patients"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), unique=True)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"), index=True)
    readable_locales: Mapped[list[str]] = mapped_column(JSON, default=list)
    # PHQ-15's menstrual item applies only when True or unknown (None); False leaves it out.
    menstruates: Mapped[bool | None]
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    clinic: Mapped[Clinic] = relationship()

    @property
    def display_name(self) -> str:
        return self.user.display_name


class CareTeamMembership(UUIDPrimaryKey, Base):
    """A clinician on a patient's care team; ended memberships stay as history."""

    __tablename__ = "care_team_memberships"
    __table_args__ = (
        Index(
            "uq_care_team_active_member",
            "patient_id",
            "member_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    added_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    patient: Mapped[Patient] = relationship()


class ConsentScope(StrEnum):
    RECEIVE_CHECKINS = "receive_checkins"
    SUBMIT_OBSERVATIONS = "submit_observations"
    VIEW_DIARY_SUMMARY = "view_diary_summary"
    VIEW_SCORES = "view_scores"


class CaregiverLink(UUIDPrimaryKey, Base):
    __tablename__ = "caregiver_links"

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    caregiver_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    relationship_label: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    caregiver: Mapped[User] = relationship()
    patient: Mapped[Patient] = relationship()


class ConsentGrant(UUIDPrimaryKey, Base):
    """One scope granted by the patient to a caregiver; active until revoked or expired."""

    __tablename__ = "consent_grants"

    link_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("caregiver_links.id"), index=True)
    scope: Mapped[ConsentScope] = mapped_column(str_enum(ConsentScope, "consent_scope"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    link: Mapped[CaregiverLink] = relationship()


class BreakGlassGrant(UUIDPrimaryKey, Base):
    """An administrator's explicit, time-limited, audited access to one patient's record."""

    __tablename__ = "break_glass_grants"

    admin_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class ConsentChannel(StrEnum):
    WEB = "web"
    VERBAL = "verbal"
    PAPER = "paper"
    SMS = "sms"


class WithdrawalSource(StrEnum):
    SETTINGS = "settings"
    STOP = "stop"
    STAFF = "staff"
    ERASURE = "erasure"


class SmsConsent(UUIDPrimaryKey, Base):
    """Agreement to receive text messages: who, when, how, and the exact wording shown."""

    __tablename__ = "sms_consents"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[ConsentChannel] = mapped_column(str_enum(ConsentChannel, "consent_channel"))
    wording: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(8))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    withdrawal_source: Mapped[WithdrawalSource | None] = mapped_column(
        str_enum(WithdrawalSource, "withdrawal_source")
    )
