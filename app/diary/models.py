"""Diary entries (one per patient per local date), their revisions and caregiver observations.

NULL means "not answered" everywhere; nothing here is ever coerced to zero.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UUIDPrimaryKey, str_enum, utcnow
from app.security import EncryptedJSON, EncryptedText


class EntryMode(StrEnum):
    QUICK = "quick"
    FULL = "full"


class ActivityKind(StrEnum):
    PHYSICAL = "physical"
    COGNITIVE = "cognitive"
    SOCIAL = "social"
    REST = "rest"


class RevisionKind(StrEnum):
    CREATED = "created"
    AMENDED = "amended"


def _range(column: str, low: int, high: int) -> CheckConstraint:
    return CheckConstraint(f"{column} IS NULL OR ({column} BETWEEN {low} AND {high})", name=column)


class TrackedSymptom(UUIDPrimaryKey, Base):
    """A symptom a patient tracks: a catalog code, or their own label (key `custom-...`)."""

    __tablename__ = "diary_tracked_symptoms"
    __table_args__ = (UniqueConstraint("patient_id", "key"),)

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    # The patient's own words, encrypted at rest. Never looked up by value: the symptoms page
    # matches labels in Python among the patient's own rows; the form keeps the 60-character limit.
    custom_label: Mapped[str | None] = mapped_column(EncryptedText())
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_custom(self) -> bool:
        return self.custom_label is not None


class DiaryEntry(UUIDPrimaryKey, Base):
    __tablename__ = "diary_entries"
    __table_args__ = (
        UniqueConstraint("patient_id", "local_date"),
        # Covers the caseload's diary days (every patient's recent levels, no table reads).
        Index(
            "ix_diary_entries_patient_day_level",
            "patient_id",
            "local_date",
            "overall_symptoms",
            "id",
        ),
        _range("overall_symptoms", 0, 10),
        _range("mood", 0, 10),
        _range("stress", 0, 10),
        _range("energy", 0, 10),
        _range("sleep_minutes", 0, 1440),
        _range("sleep_quality", 1, 5),
        _range("night_awakenings", 0, 30),
        _range("rest_breaks", 0, 50),
        _range("within_limits", 1, 5),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    local_date: Mapped[date] = mapped_column(Date)
    client_entry_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    mode: Mapped[EntryMode] = mapped_column(str_enum(EntryMode, "diary_entry_mode"))
    overall_symptoms: Mapped[int | None] = mapped_column(SmallInteger)
    mood: Mapped[int | None] = mapped_column(SmallInteger)
    stress: Mapped[int | None] = mapped_column(SmallInteger)
    energy: Mapped[int | None] = mapped_column(SmallInteger)
    bedtime: Mapped[time | None] = mapped_column(Time)
    wake_time: Mapped[time | None] = mapped_column(Time)
    sleep_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    sleep_quality: Mapped[int | None] = mapped_column(SmallInteger)
    night_awakenings: Mapped[int | None] = mapped_column(SmallInteger)
    triggers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The patient's own trigger tags: one encrypted JSON list (counted in Python, never queried).
    custom_triggers: Mapped[list[str]] = mapped_column(EncryptedJSON(), default=list)
    rest_breaks: Mapped[int | None] = mapped_column(SmallInteger)
    within_limits: Mapped[int | None] = mapped_column(SmallInteger)
    # Free text, encrypted at rest; its length limit is enforced by the forms (ciphertext is longer).
    notes: Mapped[str | None] = mapped_column(EncryptedText())
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The entry's version (the API's ETag): SQLAlchemy's version counter, so every save
    # increments it and an UPDATE from a stale read matches no row (StaleDataError).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    symptoms: Mapped[list[SymptomRating]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="SymptomRating.symptom_key"
    )
    activities: Mapped[list[ActivityBlock]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="ActivityBlock.kind"
    )

    def symptom_scores(self) -> dict[str, int]:
        return {s.symptom_key: s.score for s in self.symptoms}


class SymptomRating(UUIDPrimaryKey, Base):
    __tablename__ = "diary_symptom_ratings"
    __table_args__ = (UniqueConstraint("entry_id", "symptom_key"), _range("score", 0, 10))

    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diary_entries.id", ondelete="CASCADE"))
    symptom_key: Mapped[str] = mapped_column(String(40))
    score: Mapped[int] = mapped_column(SmallInteger)
    body_site: Mapped[str | None] = mapped_column(String(24))

    entry: Mapped[DiaryEntry] = relationship(back_populates="symptoms")


class ActivityBlock(UUIDPrimaryKey, Base):
    """Minutes of one kind of activity on a day: planned and done, with exertion 0-10."""

    __tablename__ = "diary_activity_blocks"
    __table_args__ = (
        UniqueConstraint("entry_id", "kind"),
        _range("planned_minutes", 0, 1440),
        _range("done_minutes", 0, 1440),
        _range("exertion", 0, 10),
    )

    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diary_entries.id", ondelete="CASCADE"))
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind, "diary_activity_kind"))
    planned_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    done_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    exertion: Mapped[int | None] = mapped_column(SmallInteger)

    entry: Mapped[DiaryEntry] = relationship(back_populates="activities")


class DiaryRevision(UUIDPrimaryKey, Base):
    """Every save of an entry: who, in which role, when, and what changed (old and new values).

    `submission_id` is the client-generated id the form carried: the idempotency key.
    """

    __tablename__ = "diary_revisions"
    __table_args__ = (Index("ix_diary_revisions_entry_id_at", "entry_id", "at"),)

    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diary_entries.id", ondelete="CASCADE"))
    submission_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    payload_digest: Mapped[str] = mapped_column(String(64))
    kind: Mapped[RevisionKind] = mapped_column(str_enum(RevisionKind, "diary_revision_kind"))
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # Old and new values, notes included: encrypted as a whole. Deferred, so that looking a
    # revision up (the idempotency check) does not decrypt it; `undefer` where it is read.
    changes: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(), default=dict, deferred=True)

    entry: Mapped[DiaryEntry] = relationship()


class CaregiverObservation(UUIDPrimaryKey, Base):
    """What a caregiver observed on a day; always shown as caregiver-reported, never mixed in."""

    __tablename__ = "diary_observations"
    __table_args__ = (
        Index("ix_diary_observations_patient_id_local_date", "patient_id", "local_date"),
        _range("symptom_level", 0, 10),
        _range("activity_level", 0, 10),
        _range("sleep_disturbance", 0, 10),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    local_date: Mapped[date] = mapped_column(Date)
    observer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    observer_role: Mapped[str] = mapped_column(String(24))
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    symptom_level: Mapped[int | None] = mapped_column(SmallInteger)
    activity_level: Mapped[int | None] = mapped_column(SmallInteger)
    sleep_disturbance: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
