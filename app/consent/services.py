"""Writes for versioned consent. Services flush; the request commits.

Staff draft, edit and publish versions (a published version never changes; publishing the
next one retires it). Patients, or staff recording a verbal or paper consent, give consent
to the published versions they were shown; each giving stores one PDF of exactly what was
agreed, keyed by its SHA-256. Withdrawal takes effect at once and is recorded the same way:
withdrawing SMS ends the SMS agreement and announces `consent_withdrawn` (the prompts
layer cancels pending prompts); withdrawing caregiver sharing ends that caregiver's grants."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from app import audit, signals
from app.auth.models import User
from app.careteam.models import (
    CaregiverLink,
    ConsentChannel,
    ConsentGrant,
    Patient,
    SmsConsent,
    WithdrawalSource,
)
from app.careteam.services import revoke_scope, withdraw_sms_consent
from app.consent.models import (
    ConsentDecision,
    ConsentMethod,
    ConsentPdf,
    ConsentPurpose,
    ConsentRecord,
    ConsentVersion,
    VersionStatus,
)
from app.consent.queries import grant_active, published
from app.db import db, utcnow


class ConsentError(Exception):
    """A refused change; `code` names the reason (the view maps it to a message)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def body_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


def draft(
    *,
    clinic_id: uuid.UUID,
    purpose: ConsentPurpose,
    locale: str,
    title: str,
    body: str,
    author: User | None,
) -> ConsentVersion:
    """A new draft, numbered after every existing version of this purpose and language."""
    last = db.session.scalar(
        select(func.max(ConsentVersion.number)).where(
            ConsentVersion.clinic_id == clinic_id,
            ConsentVersion.purpose == purpose,
            ConsentVersion.locale == locale,
        )
    )
    version = ConsentVersion(
        clinic_id=clinic_id,
        purpose=purpose,
        locale=locale,
        number=(last or 0) + 1,
        title=title,
        body=body,
        created_by_id=author.id if author else None,
    )
    db.session.add(version)
    db.session.flush()
    audit.record(
        "consent.draft", patient_id=None, object_type="consent_version", object_id=str(version.id)
    )
    return version


def edit(*, version: ConsentVersion, title: str, body: str) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ConsentError("immutable")
    version.title, version.body = title, body
    db.session.flush()


def publish(
    *, version: ConsentVersion, by: User | None, material: bool, now: datetime | None = None
) -> None:
    """Publish a draft, retiring the published version of its purpose and language."""
    if version.status != VersionStatus.DRAFT:
        raise ConsentError("immutable")
    now = now or utcnow()
    previous = published(version.clinic_id, version.locale).get(version.purpose)
    if previous is not None:
        previous.status = VersionStatus.RETIRED
        db.session.flush()  # the one-published index sees the retirement first
    version.status = VersionStatus.PUBLISHED
    version.published_at, version.published_by_id = now, by.id if by else None
    version.body_sha256 = body_hash(version.title, version.body)
    db.session.flush()
    audit.record(
        "consent.publish", patient_id=None, object_type="consent_version", object_id=str(version.id)
    )
    if material:
        mark_material(version=version, now=now)


def mark_material(*, version: ConsentVersion, now: datetime | None = None) -> None:
    """Earlier consents to this purpose stop counting: patients are asked again."""
    if version.status == VersionStatus.DRAFT or version.material_at is not None:
        raise ConsentError("not_markable")
    version.material_at = now or utcnow()
    db.session.flush()
    audit.record(
        "consent.material",
        patient_id=None,
        object_type="consent_version",
        object_id=str(version.id),
    )


@dataclass(frozen=True)
class Given:
    record_ids: tuple[uuid.UUID, ...]
    pdf_sha256: str


def store_pdf(content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()
    if db.session.get(ConsentPdf, digest) is None:
        db.session.add(ConsentPdf(sha256=digest, content=content))
        db.session.flush()
    return digest


def give(
    *,
    patient: Patient,
    versions: Sequence[ConsentVersion],
    method: ConsentMethod,
    signed_name: str,
    recorded_by: User,
    pdf: bytes,
    now: datetime | None = None,
) -> Given:
    """Record consent to each version (all published, checked by the caller against what was
    shown), store the PDF and audit its hash."""
    now = now or utcnow()
    if not versions or any(v.status != VersionStatus.PUBLISHED for v in versions):
        raise ConsentError("stale")
    digest = store_pdf(pdf)
    ids = []
    for version in versions:
        record = ConsentRecord(
            patient_id=patient.id,
            purpose=version.purpose,
            decision=ConsentDecision.GIVEN,
            method=method,
            version_id=version.id,
            locale=version.locale,
            signed_name=signed_name,
            recorded_at=now,
            recorded_by_id=recorded_by.id,
            pdf_sha256=digest,
        )
        audit.add(record, "consent.give", patient_id=patient.id, object_type="consent_record")
        ids.append(record.id)
        if version.purpose == ConsentPurpose.SMS:
            _agree_to_texts(patient, version, method, recorded_by, now)
    audit.record("consent.pdf", patient_id=patient.id, object_type="consent_pdf", object_id=digest)
    return Given(tuple(ids), digest)


CHANNELS = {
    ConsentMethod.SELF: ConsentChannel.WEB,
    ConsentMethod.VERBAL: ConsentChannel.VERBAL,
    ConsentMethod.PAPER: ConsentChannel.PAPER,
}


def _agree_to_texts(
    patient: Patient, version: ConsentVersion, method: ConsentMethod, by: User, now: datetime
) -> None:
    """The SMS agreement dispatch reads, with the wording agreed to (replaces an older one)."""
    withdraw_sms_consent(user=patient.user, source=WithdrawalSource.SETTINGS, now=now, record=False)
    db.session.add(
        SmsConsent(
            user_id=patient.user_id,
            recorded_by_id=by.id,
            channel=CHANNELS[method],
            wording=version.body,
            locale=version.locale,
            granted_at=now,
        )
    )
    db.session.flush()


def withdraw(
    *,
    patient: Patient,
    purpose: ConsentPurpose,
    method: ConsentMethod,
    recorded_by: User,
    link: CaregiverLink | None = None,
    now: datetime | None = None,
) -> ConsentRecord:
    """Withdraw at once. Caregiver sharing: `link` ends one caregiver's grants, None all."""
    now = now or utcnow()
    record = ConsentRecord(
        patient_id=patient.id,
        purpose=purpose,
        decision=ConsentDecision.WITHDRAWN,
        method=method,
        caregiver_link_id=link.id if link else None,
        locale=patient.user.locale,
        recorded_at=now,
        recorded_by_id=recorded_by.id,
    )
    audit.add(record, "consent.withdraw", patient_id=patient.id, object_type="consent_record")
    if purpose == ConsentPurpose.SMS:
        source = (
            WithdrawalSource.SETTINGS if method == ConsentMethod.SELF else WithdrawalSource.STAFF
        )
        withdraw_sms_consent(user=patient.user, source=source, now=now, record=False)
    if purpose == ConsentPurpose.CAREGIVER:
        links = (
            [link]
            if link
            else db.session.scalars(
                select(CaregiverLink).where(CaregiverLink.patient_id == patient.id)
            ).all()
        )
        for each in links:
            scopes = db.session.scalars(
                select(ConsentGrant.scope).where(ConsentGrant.link_id == each.id, grant_active(now))
            ).all()
            for scope in set(scopes):
                revoke_scope(link=each, scope=scope, now=now)
    signals.consent_withdrawn.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        patient_id=patient.id,
        user_id=patient.user_id,
        purpose=purpose.value,
    )
    return record
