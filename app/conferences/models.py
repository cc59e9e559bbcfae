"""Case conferences (systematic case review): the meeting, who was invited and came, the agenda
of patients with a frozen snapshot of their pre-visit summary and a structured note, and the
decisions as typed actions tracked to done. Free text is encrypted at rest."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UUIDPrimaryKey, str_enum, utcnow
from app.security import EncryptedJSON, EncryptedText


class Modality(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"


class Attendance(StrEnum):
    INVITED = "invited"
    PRESENT = "present"
    ABSENT = "absent"
    APOLOGIES = "apologies"


class ActionKind(StrEnum):
    """Typed decisions. A new kind goes here, in `labels.ACTION_KIND_LABELS` and in
    `decisions.KIND_LINKS` (the extension point), with a migration widening the CHECK."""

    CARE_PLAN = "care_plan"
    RECOMMENDATION = "recommendation"
    FOLLOWUP = "followup"
    QUESTIONNAIRE = "questionnaire"
    PSYCHIATRIC_CONSULTATION = "psychiatric_consultation"
    REFERRAL = "referral"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"  # a recommendation: acknowledged
    DECLINED = "declined"  # a recommendation only, with a reason


class CaseConference(UUIDPrimaryKey, Base):
    __tablename__ = "case_conferences"
    __table_args__ = (Index("ix_case_conferences_clinic_starts", "clinic_id", "starts_at"),)

    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"))
    scheduled_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime]
    modality: Mapped[Modality] = mapped_column(str_enum(Modality, "conference_modality"))
    video_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    frozen_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    members: Mapped[list[ConferenceMember]] = relationship(
        back_populates="conference", order_by="ConferenceMember.created_at"
    )


class ConferenceMember(UUIDPrimaryKey, Base):
    __tablename__ = "conference_members"
    __table_args__ = (UniqueConstraint("conference_id", "member_id"),)

    conference_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_conferences.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    attendance: Mapped[Attendance] = mapped_column(
        str_enum(Attendance, "conference_attendance"), default=Attendance.INVITED
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conference: Mapped[CaseConference] = relationship(back_populates="members")
    member: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class AgendaItem(UUIDPrimaryKey, Base):
    """A patient on a conference's agenda: why (rule reasons and/or a nomination), a frozen
    snapshot of the pre-visit summary, and the structured note of the discussion."""

    __tablename__ = "conference_agenda_items"
    __table_args__ = (UniqueConstraint("conference_id", "patient_id"),)

    conference_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_conferences.id"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    # [{"code", "params", "text"}, ...] from the agenda rules: shown in the viewer's language
    # from the code and params (`app.web.teamcare.reason_text`); "text" (the language it was
    # built in) only when no feature registers the code any more.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    late: Mapped[bool] = mapped_column(default=False)  # added after the agenda was frozen
    nominated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    nomination: Mapped[str | None] = mapped_column(EncryptedText())
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    removal: Mapped[str | None] = mapped_column(EncryptedText())
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON())
    snapshot_at: Mapped[datetime | None]
    discussed_at: Mapped[datetime | None]
    note_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    discussed: Mapped[str | None] = mapped_column(EncryptedText())
    hypotheses: Mapped[str | None] = mapped_column(EncryptedText())
    disagreements: Mapped[str | None] = mapped_column(EncryptedText())
    uncertainty: Mapped[str | None] = mapped_column(EncryptedText())


class ConferenceAction(UUIDPrimaryKey, Base):
    """A decision: a typed action with an owner and a due date, tracked to done."""

    __tablename__ = "conference_actions"
    __table_args__ = (Index("ix_conference_actions_owner_status", "owner_id", "status"),)

    conference_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_conferences.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conference_agenda_items.id"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    kind: Mapped[ActionKind] = mapped_column(str_enum(ActionKind, "conference_action_kind"))
    description: Mapped[str] = mapped_column(EncryptedText())
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, "conference_action_status"), default=ActionStatus.OPEN
    )
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(EncryptedText())
    # The plan version this decision produced: an opaque link, no foreign key (erasing the
    # plan deletes its versions; the link then points nowhere and says so).
    care_plan_version_id: Mapped[uuid.UUID | None]
    # The referral this decision produced (same kind of opaque link, set by a signal).
    referral_id: Mapped[uuid.UUID | None]
    reminded_at: Mapped[datetime | None]

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined", innerjoin=True)
