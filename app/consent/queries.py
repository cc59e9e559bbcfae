"""The current consent state, one query for everyone who needs it: the access policy (a
caregiver's grants), SMS dispatch and prompt planning (may this person be texted), and the
patient's and staff's consent pages.

A consent counts while it is neither withdrawn nor older than a version of the same purpose
that the clinic has marked a material change (`ConsentVersion.material_at`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.careteam.models import CaregiverLink, ConsentGrant, Patient, SmsConsent
from app.consent.models import (
    ConsentDecision,
    ConsentPdf,
    ConsentPurpose,
    ConsentRecord,
    ConsentVersion,
    VersionStatus,
)
from app.db import db


def _superseded(clinic_id: Any, purpose: ConsentPurpose, given_at: Any) -> ColumnElement[bool]:
    """SQL: the clinic marked a version of `purpose` material after `given_at`."""
    return exists().where(
        ConsentVersion.clinic_id == clinic_id,
        ConsentVersion.purpose == purpose,
        ConsentVersion.material_at > given_at,
    )


def sms_consented(user_id: Any) -> ColumnElement[bool]:
    """SQL: this person currently agrees to text messages (a patient's agreement also stops
    counting when the clinic marks the SMS document's new version material)."""
    person = aliased(Patient)  # never the outer query's patient
    return exists().where(
        SmsConsent.user_id == user_id,
        SmsConsent.withdrawn_at.is_(None),
        ~exists().where(
            person.user_id == SmsConsent.user_id,
            _superseded(person.clinic_id, ConsentPurpose.SMS, SmsConsent.granted_at),
        ),
    )


def grant_active(now: Any) -> ColumnElement[bool]:
    """SQL condition on `ConsentGrant`: neither revoked nor expired at `now` (a datetime or a
    bound parameter), and not superseded by a material change of the caregiver document."""
    # Aliases: only the grant correlates with the outer query, which may join the link and
    # the patient itself.
    link, owner = aliased(CaregiverLink), aliased(Patient)
    return and_(
        ConsentGrant.revoked_at.is_(None),
        or_(ConsentGrant.expires_at.is_(None), ConsentGrant.expires_at > now),
        ~exists().where(
            link.id == ConsentGrant.link_id,
            owner.id == link.patient_id,
            _superseded(owner.clinic_id, ConsentPurpose.CAREGIVER, ConsentGrant.granted_at),
        ),
    )


def may_text(user: User) -> bool:
    return bool(db.session.scalar(select(sms_consented(user.id))))


@dataclass(frozen=True)
class PurposeState:
    purpose: ConsentPurpose
    record: ConsentRecord | None  # the latest record, given or withdrawn
    valid: bool  # given, and not superseded by a material change
    review: ConsentVersion | None  # a newer published version the patient has not seen

    @property
    def given(self) -> bool:
        return self.record is not None and self.record.decision == ConsentDecision.GIVEN


def published(clinic_id: uuid.UUID, locale: str) -> dict[ConsentPurpose, ConsentVersion]:
    rows = db.session.scalars(
        select(ConsentVersion).where(
            ConsentVersion.clinic_id == clinic_id,
            ConsentVersion.locale == locale,
            ConsentVersion.status == VersionStatus.PUBLISHED,
        )
    )
    return {version.purpose: version for version in rows}


def _latest(patient_id: uuid.UUID) -> dict[ConsentPurpose, ConsentRecord]:
    """The latest purpose-wide record per purpose (caregiver-link records are per caregiver)."""
    records = db.session.scalars(
        select(ConsentRecord)
        .where(ConsentRecord.patient_id == patient_id, ConsentRecord.caregiver_link_id.is_(None))
        .order_by(ConsentRecord.recorded_at)
    )
    return {record.purpose: record for record in records}


def _material_after(clinic_id: uuid.UUID) -> dict[ConsentPurpose, datetime]:
    rows = db.session.execute(
        select(ConsentVersion.purpose, func.max(ConsentVersion.material_at))
        .where(ConsentVersion.clinic_id == clinic_id, ConsentVersion.material_at.is_not(None))
        .group_by(ConsentVersion.purpose)
    )
    return {purpose: moment for purpose, moment in rows}  # noqa: C416 - Rows, not pairs


def state(patient: Patient, locale: str) -> dict[ConsentPurpose, PurposeState]:
    """Every purpose's state for this patient; `review` is the published version in `locale`
    when it is newer than what they last agreed to (or they never answered)."""
    latest = _latest(patient.id)
    material = _material_after(patient.clinic_id)
    current = published(patient.clinic_id, locale)
    result = {}
    for purpose in ConsentPurpose:
        record = latest.get(purpose)
        given = record is not None and record.decision == ConsentDecision.GIVEN
        valid = given and (purpose not in material or material[purpose] <= record.recorded_at)
        version = current.get(purpose)
        seen = record is not None and (
            record.version_id == (version.id if version else None)
            or (
                version is not None
                and version.published_at is not None
                and record.recorded_at >= version.published_at
            )
        )
        review = version if version is not None and not seen else None
        result[purpose] = PurposeState(purpose, record, valid, review)
    return result


def needs_review(patient: Patient, locale: str) -> list[ConsentVersion]:
    """Published versions this patient should read: new since their last answer, or their
    consent no longer counts. Research contact is optional and never nags once answered."""
    return [
        entry.review
        for entry in state(patient, locale).values()
        if entry.review is not None
        and not (entry.purpose == ConsentPurpose.RESEARCH and entry.record is not None)
    ]


def records_for(patient_id: uuid.UUID) -> list[ConsentRecord]:
    return list(
        db.session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.patient_id == patient_id)
            .order_by(ConsentRecord.recorded_at.desc())
        )
    )


def record_for(patient_id: uuid.UUID, record_id: uuid.UUID) -> ConsentRecord | None:
    return db.session.scalar(
        select(ConsentRecord).where(
            ConsentRecord.id == record_id, ConsentRecord.patient_id == patient_id
        )
    )


def pdf(sha256: str) -> ConsentPdf | None:
    return db.session.get(ConsentPdf, sha256)


def versions(clinic_id: uuid.UUID) -> list[tuple[ConsentVersion, int]]:
    """Every version of the clinic's documents with how many patients consented to it."""
    counted = (
        select(
            ConsentRecord.version_id,
            func.count(func.distinct(ConsentRecord.patient_id)).label("patients"),
        )
        .where(ConsentRecord.decision == ConsentDecision.GIVEN)
        .group_by(ConsentRecord.version_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ConsentVersion, func.coalesce(counted.c.patients, 0))
        .outerjoin(counted, counted.c.version_id == ConsentVersion.id)
        .where(ConsentVersion.clinic_id == clinic_id)
        .order_by(ConsentVersion.purpose, ConsentVersion.locale, ConsentVersion.number.desc())
    )
    return [(version, count) for version, count in rows]


def version_in(clinic_id: uuid.UUID, version_id: uuid.UUID) -> ConsentVersion | None:
    return db.session.scalar(
        select(ConsentVersion).where(
            ConsentVersion.id == version_id, ConsentVersion.clinic_id == clinic_id
        )
    )


def caregiver_links(patient_id: uuid.UUID) -> list[CaregiverLink]:
    return list(
        db.session.scalars(select(CaregiverLink).where(CaregiverLink.patient_id == patient_id))
    )
