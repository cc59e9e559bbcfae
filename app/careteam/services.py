"""Writes for enrollment, care teams, caregivers and consent. Services flush; callers commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.access import active_grant_clause
from app.auth.models import Role, User
from app.auth.services import AccountError, create_invited_user, normalize_email
from app.careteam.models import (
    CaregiverLink,
    CareTeamMembership,
    Clinic,
    ConsentChannel,
    ConsentGrant,
    ConsentScope,
    Patient,
    SmsConsent,
    WithdrawalSource,
)
from app.consent.models import ConsentDecision, ConsentMethod, ConsentPurpose, ConsentRecord
from app.db import db, utcnow
from app.i18n import recipient_locale
from app.security import blind_index, normalize_phone

SMS_CONSENT_WORDING = _l(
    "I agree to receive text messages from my care team through Heed: reminders for my diary "
    "and questionnaires, with a link to answer. Messages never contain my health information. "
    "Reply STOP at any time to stop them, or HELP for help. Message and data rates may apply."
)


@dataclass(frozen=True)
class Invitation:
    user: User
    token: str | None  # None when the person already had an account


def find_user_by_phone(raw: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.phone_index == blind_index(normalize_phone(raw)))
    )


def find_users_by_phone(raw: str) -> list[User]:
    """Every account with this number (family members may share one phone), oldest first."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.phone_index == blind_index(normalize_phone(raw)))
            .order_by(User.created_at, User.id)
        )
    )


def enroll_existing_user(*, user: User, clinic: Clinic, readable_locales: list[str]) -> Patient:
    patient = Patient(user_id=user.id, clinic_id=clinic.id, readable_locales=readable_locales)
    db.session.add(patient)
    db.session.flush()
    return audit.add(patient, "patient.enroll", patient_id=patient.id, object_type="patient")


def _clear_lead(patient: Patient) -> None:
    """One lead clinician per patient."""
    for membership in db.session.scalars(
        select(CareTeamMembership).where(
            CareTeamMembership.patient_id == patient.id,
            CareTeamMembership.ended_at.is_(None),
            CareTeamMembership.is_lead.is_(True),
        )
    ):
        membership.is_lead = False


def add_to_team(
    *, patient: Patient, member: User, is_lead: bool = False, actor: User | None = None
) -> CareTeamMembership:
    existing = db.session.scalar(
        select(CareTeamMembership).where(
            CareTeamMembership.patient_id == patient.id,
            CareTeamMembership.member_id == member.id,
            CareTeamMembership.ended_at.is_(None),
        )
    )
    if existing is not None:
        if is_lead and not existing.is_lead:
            _clear_lead(patient)
        existing.is_lead = is_lead
        db.session.flush()
        return existing
    if is_lead:
        _clear_lead(patient)
    membership = CareTeamMembership(
        patient_id=patient.id,
        member_id=member.id,
        is_lead=is_lead,
        added_by_id=actor.id if actor else None,
    )
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "care_team.add", patient_id=patient.id, object_type="user", object_id=str(member.id)
    )
    return membership


def remove_from_team(
    *, patient: Patient, member: User, actor: User | None = None, now: datetime | None = None
) -> None:
    for membership in db.session.scalars(
        select(CareTeamMembership).where(
            CareTeamMembership.patient_id == patient.id,
            CareTeamMembership.member_id == member.id,
            CareTeamMembership.ended_at.is_(None),
        )
    ):
        membership.ended_at = now or utcnow()
        membership.ended_by_id = actor.id if actor else None
        audit.record(
            "care_team.remove", patient_id=patient.id, object_type="user", object_id=str(member.id)
        )
    db.session.flush()


def link_caregiver(*, patient: Patient, caregiver: User, relationship_label: str) -> CaregiverLink:
    link = CaregiverLink(
        patient_id=patient.id, caregiver_id=caregiver.id, relationship_label=relationship_label
    )
    return audit.add(link, "caregiver.link", patient_id=patient.id, object_type="caregiver_link")


def grant_scope(
    *,
    link: CaregiverLink,
    scope: ConsentScope,
    granted_by: User,
    expires_at: datetime | None = None,
) -> ConsentGrant:
    """Grant a scope unless an active grant of it already exists."""
    active = db.session.scalar(
        select(ConsentGrant).where(
            ConsentGrant.link_id == link.id,
            ConsentGrant.scope == scope,
            active_grant_clause(utcnow()),
        )
    )
    if active is not None:
        return active
    grant = ConsentGrant(
        link_id=link.id, scope=scope, granted_by_id=granted_by.id, expires_at=expires_at
    )
    return audit.add(
        grant, "consent.grant", patient_id=link.patient_id, object_type="consent_grant"
    )


def revoke_scope(*, link: CaregiverLink, scope: ConsentScope, now: datetime | None = None) -> None:
    now = now or utcnow()
    for grant in db.session.scalars(
        select(ConsentGrant).where(
            ConsentGrant.link_id == link.id, ConsentGrant.scope == scope, active_grant_clause(now)
        )
    ):
        grant.revoked_at = now
        audit.record(
            "consent.revoke",
            patient_id=link.patient_id,
            object_type="consent_grant",
            object_id=str(grant.id),
        )
    db.session.flush()


def enroll_patient(
    *,
    enrolled_by: User,
    clinic: Clinic,
    display_name: str,
    email: str | None,
    phone: str | None,
    locale: str,
    readable_locales: Iterable[str],
    timezone: str,
    sms_consent_channel: ConsentChannel | None,
) -> tuple[Patient, Invitation]:
    """Enroll a new patient; an enrolling clinician joins the care team as lead."""
    invitation = Invitation(
        *create_invited_user(
            role=Role.PATIENT,
            display_name=display_name,
            email=email,
            phone=phone,
            locale=locale,
            timezone=timezone,
            clinic_id=clinic.id,
        )
    )
    readable = [code for code in dict.fromkeys(readable_locales) if code != locale]
    patient = enroll_existing_user(user=invitation.user, clinic=clinic, readable_locales=readable)
    if enrolled_by.role == Role.CLINICIAN:
        add_to_team(patient=patient, member=enrolled_by, is_lead=True, actor=enrolled_by)
    if sms_consent_channel is not None:
        record_sms_consent(
            user=invitation.user, channel=sms_consent_channel, recorded_by=enrolled_by
        )
    return patient, invitation


def record_sms_consent(
    *, user: User, channel: ConsentChannel, recorded_by: User | None
) -> SmsConsent:
    """Store consent with the exact wording shown, in the person's language."""
    if user.phone is None:
        raise AccountError(_("A mobile number is needed before agreeing to text messages."))
    locale = recipient_locale(user.locale)
    with force_locale(locale):
        wording = str(SMS_CONSENT_WORDING)
    consent = SmsConsent(
        user_id=user.id,
        recorded_by_id=recorded_by.id if recorded_by else None,
        channel=channel,
        wording=wording,
        locale=locale,
    )
    patient = _patient_id(user)
    if patient is None:
        db.session.add(consent)
        db.session.flush()
        return consent
    _sms_record(
        patient, ConsentDecision.GIVEN, METHODS[channel], locale, consent.granted_at, recorded_by
    )
    return audit.add(consent, "consent.sms_grant", patient_id=patient, object_type="sms_consent")


# How an SMS agreement or its end outside the consent pages is recorded in `consent_records`
# (versioned consent reads one state: these records, next to the agreement dispatch reads).
METHODS = {
    ConsentChannel.WEB: ConsentMethod.SELF,
    ConsentChannel.VERBAL: ConsentMethod.VERBAL,
    ConsentChannel.PAPER: ConsentMethod.PAPER,
    ConsentChannel.SMS: ConsentMethod.TEXT,
}
WITHDRAWAL_METHODS = {
    WithdrawalSource.SETTINGS: ConsentMethod.SELF,
    WithdrawalSource.STOP: ConsentMethod.TEXT,
    WithdrawalSource.STAFF: ConsentMethod.VERBAL,
}


def _patient_id(user: User) -> uuid.UUID | None:
    return db.session.scalar(select(Patient.id).where(Patient.user_id == user.id))


def _sms_record(
    patient_id: uuid.UUID,
    decision: ConsentDecision,
    method: ConsentMethod,
    locale: str,
    at: datetime,
    by: User | None,
) -> None:
    db.session.add(
        ConsentRecord(
            patient_id=patient_id,
            purpose=ConsentPurpose.SMS,
            decision=decision,
            method=method,
            locale=locale,
            recorded_at=at,
            recorded_by_id=by.id if by else None,
        )
    )


def active_sms_consent(user: User) -> SmsConsent | None:
    return db.session.scalar(
        select(SmsConsent)
        .where(SmsConsent.user_id == user.id, SmsConsent.withdrawn_at.is_(None))
        .order_by(SmsConsent.granted_at.desc())
    )


def withdraw_sms_consent(
    *,
    user: User,
    source: WithdrawalSource,
    now: datetime | None = None,
    record: bool = True,
) -> bool:
    """Withdraw every active SMS consent of this person; False when there was none. A
    patient's withdrawal is also a consent record unless the caller writes its own."""
    now = now or utcnow()
    consents = db.session.scalars(
        select(SmsConsent).where(SmsConsent.user_id == user.id, SmsConsent.withdrawn_at.is_(None))
    ).all()
    for consent in consents:
        consent.withdrawn_at, consent.withdrawal_source = now, source
    patient = _patient_id(user) if consents and record and source in WITHDRAWAL_METHODS else None
    if patient is not None:
        _sms_record(
            patient,
            ConsentDecision.WITHDRAWN,
            WITHDRAWAL_METHODS[source],
            recipient_locale(user.locale),
            now,
            None,
        )
    db.session.flush()
    return bool(consents)


def invite_caregiver(
    *,
    patient: Patient,
    display_name: str,
    email: str | None,
    phone: str | None,
    relationship_label: str,
    scopes: Iterable[ConsentScope],
    expires_at: datetime | None,
) -> Invitation:
    """Link a caregiver (new or existing caregiver account) and grant the chosen scopes."""
    existing = (
        db.session.scalar(select(User).where(User.email == normalize_email(email)))
        if email
        else None
    )
    if existing is not None and existing.role != Role.CAREGIVER:
        raise AccountError(_("That email belongs to an account that cannot be a caregiver."))
    if existing is not None:
        invitation = Invitation(user=existing, token=None)
    else:
        invitation = Invitation(
            *create_invited_user(
                role=Role.CAREGIVER,
                display_name=display_name,
                email=email,
                phone=phone,
                locale=patient.user.locale,
                timezone=patient.user.timezone,
            )
        )
    link = db.session.scalar(
        select(CaregiverLink).where(
            CaregiverLink.patient_id == patient.id, CaregiverLink.caregiver_id == invitation.user.id
        )
    ) or link_caregiver(
        patient=patient, caregiver=invitation.user, relationship_label=relationship_label
    )
    set_caregiver_scopes(link=link, scopes=scopes, expires_at=expires_at, changed_by=patient.user)
    return invitation


def set_caregiver_scopes(
    *,
    link: CaregiverLink,
    scopes: Iterable[ConsentScope],
    expires_at: datetime | None,
    changed_by: User,
    now: datetime | None = None,
) -> None:
    """Make exactly `scopes` active until `expires_at`; changes apply on the next request."""
    now = now or utcnow()
    wanted = set(scopes)
    active = {
        grant.scope: grant
        for grant in db.session.scalars(
            select(ConsentGrant).where(ConsentGrant.link_id == link.id, active_grant_clause(now))
        )
    }
    for scope, grant in active.items():
        if scope not in wanted or grant.expires_at != expires_at:
            revoke_scope(link=link, scope=scope, now=now)
    for scope in wanted:
        if scope not in active or active[scope].expires_at != expires_at:
            grant_scope(link=link, scope=scope, granted_by=changed_by, expires_at=expires_at)
