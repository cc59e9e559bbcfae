"""Versioned consent: documents by purpose and language, what each patient agreed to or
withdrew (and how), and the PDF of exactly what was agreed, stored by its SHA-256."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UUIDPrimaryKey, str_enum, utcnow


class ConsentPurpose(StrEnum):
    CARE = "care"  # use of Heed for the patient's care
    SMS = "sms"  # contact by text message
    CAREGIVER = "caregiver"  # sharing with a caregiver the patient names
    RESEARCH = "research"  # optional: being contacted about research


class VersionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class ConsentMethod(StrEnum):
    SELF = "self"  # the patient, signed in, typed their name
    VERBAL = "verbal"  # a staff member recorded a verbal consent
    PAPER = "paper"  # a staff member recorded a signed paper form
    LEGACY = "legacy"  # recorded before versioned consent (migration 0018)
    TEXT = "text"  # a reply by text message (START, STOP)


class ConsentDecision(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


class ConsentVersion(UUIDPrimaryKey, Base):
    """One version of a clinic's document for one purpose in one language. A draft may change;
    once published it never does (the services refuse); publishing the next retires it."""

    __tablename__ = "consent_versions"
    __table_args__ = (
        UniqueConstraint("clinic_id", "purpose", "locale", "number"),
        Index(
            "uq_consent_versions_published",
            "clinic_id",
            "purpose",
            "locale",
            unique=True,
            sqlite_where=text("status = 'published'"),
            postgresql_where=text("status = 'published'"),
        ),
    )

    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose, "consent_purpose"))
    locale: Mapped[str] = mapped_column(String(8))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[VersionStatus] = mapped_column(
        str_enum(VersionStatus, "consent_version_status"), default=VersionStatus.DRAFT
    )
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # Set when the clinic marks this version a material change: every consent to this purpose
    # given before that moment stops counting (the patient is asked again).
    material_at: Mapped[datetime | None]


class ConsentPdf(Base):
    """Content-addressed: the key is the SHA-256 of the bytes; never rewritten."""

    __tablename__ = "consent_pdfs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsentRecord(UUIDPrimaryKey, Base):
    """A patient gave or withdrew consent to one purpose: which version, how, by whom, when.
    Records are never edited; the latest per purpose (and caregiver link) is the state."""

    __tablename__ = "consent_records"

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose, "consent_purpose"))
    decision: Mapped[ConsentDecision] = mapped_column(str_enum(ConsentDecision, "consent_decision"))
    method: Mapped[ConsentMethod] = mapped_column(str_enum(ConsentMethod, "consent_method"))
    version_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("consent_versions.id"))
    caregiver_link_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("caregiver_links.id"))
    locale: Mapped[str] = mapped_column(String(8))
    signed_name: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # The key of the PDF in `consent_pdfs` (no foreign key: erasure deletes the PDF and keeps
    # the hash, which still proves a copy the patient kept).
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), index=True)

    version: Mapped[ConsentVersion | None] = relationship()
