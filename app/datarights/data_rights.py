"""What the foundation holds about a patient: profile, team, caregivers, consents, one-time
links sent to them, administrators' break-glass access, access log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from app.audit import AuditEvent, Outcome, events_for_patient
from app.auth.models import OneTimeToken, User
from app.careteam.models import (
    BreakGlassGrant,
    CaregiverLink,
    CareTeamMembership,
    ConsentGrant,
    Patient,
    SmsConsent,
    WithdrawalSource,
)
from app.datarights.registry import Row, Section, eraser, exporter, iso
from app.db import db, utcnow

KEPT_ON_ERASURE = (AuditEvent, CareTeamMembership, BreakGlassGrant)
"""Erasure keeps the audit trail (action codes and opaque ids), who was on the care team, and
the break-glass grants: who opened the record, when, until when and the reason they wrote.
The reason is the administrator's justification for the access, part of the audit trail that
must outlive the record (the access it explains stays in the log), not a note about the
person; the form asks for the reason for access, and the patient sees it in their export."""


@exporter(covers=(Patient,), sections=("profile",))
def profile(patient: Patient) -> list[Section]:
    user = patient.user
    row: Row = {
        "patient_id": str(patient.id),
        "name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "language": user.locale,
        "other_languages": ",".join(patient.readable_locales),
        "time_zone": user.timezone,
        "clinic": patient.clinic.name,
        "enrolled_at": iso(patient.enrolled_at),
    }
    fhir = {
        "resourceType": "Patient",
        "id": str(patient.id),
        "active": user.active,
        "name": [{"text": user.display_name}],
        "telecom": [
            {"system": system, "value": value}
            for system, value in (("email", user.email), ("phone", user.phone))
            if value
        ],
        "communication": [
            {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": user.locale}]}}
        ],
    }
    return [Section("profile", [row], [fhir])]


@exporter(
    covers=(CareTeamMembership, CaregiverLink, ConsentGrant, SmsConsent),
    sections=("care_team", "caregiver_sharing", "sms_consent"),
)
def relationships(patient: Patient) -> list[Section]:
    team = db.session.scalars(
        select(CareTeamMembership).where(CareTeamMembership.patient_id == patient.id)
    ).all()
    links = db.session.scalars(
        select(CaregiverLink).where(CaregiverLink.patient_id == patient.id)
    ).all()
    grants = db.session.scalars(
        select(ConsentGrant).where(ConsentGrant.link_id.in_([link.id for link in links]))
    ).all()
    names = {link.id: link.caregiver.display_name for link in links}
    consents = db.session.scalars(
        select(SmsConsent).where(SmsConsent.user_id == patient.user_id)
    ).all()
    return [
        Section(
            "care_team",
            [
                {
                    "member": m.member.display_name,
                    "role": m.member.role.value,
                    "discipline": m.member.discipline.value if m.member.discipline else None,
                    "lead": m.is_lead,
                    "from": iso(m.started_at),
                    "until": iso(m.ended_at),
                }
                for m in team
            ],
        ),
        Section(
            "caregiver_sharing",
            [
                {
                    "caregiver": names[g.link_id],
                    "scope": g.scope.value,
                    "granted_at": iso(g.granted_at),
                    "expires_at": iso(g.expires_at),
                    "revoked_at": iso(g.revoked_at),
                }
                for g in grants
            ],
        ),
        Section(
            "sms_consent",
            [
                {
                    "channel": c.channel.value,
                    "wording": c.wording,
                    "language": c.locale,
                    "granted_at": iso(c.granted_at),
                    "withdrawn_at": iso(c.withdrawn_at),
                }
                for c in consents
            ],
        ),
    ]


@exporter(covers=(AuditEvent,), sections=("access_log",))
def access_log(patient: Patient) -> list[Section]:
    events = events_for_patient(patient.id, limit=10_000)
    return [
        Section(
            "access_log",
            [
                {
                    "when": iso(e.occurred_at),
                    "actor_id": str(e.actor_id) if e.actor_id else None,
                    "actor_role": e.actor_role,
                    "action": e.action,
                    "outcome": e.outcome.value,
                }
                for e in events
            ],
            [_audit_event(e, patient) for e in events],
        )
    ]


DCM = "http://dicom.nema.org/resources/ontology/DCM"
AUDIT_ACTION_SYSTEM = "https://heed.invalid/fhir/CodeSystem/audit-action"
READS = ("view", "export", "read", "download")


def _audit_event(event: AuditEvent, patient: Patient) -> dict[str, Any]:
    """One access-log line as an AuditEvent: Heed's action code as the subtype, the actor
    by role (as in the JSON export: no name), the patient record as the entity."""
    agent: dict[str, Any] = {
        "requestor": True,
        "who": {"display": event.actor_role or "unknown"},
    }
    if event.actor_role:
        agent["role"] = [{"text": event.actor_role}]
    return {
        "resourceType": "AuditEvent",
        "id": f"audit-{event.id}",
        "type": {"system": DCM, "code": "110110", "display": "Patient Record"},
        "subtype": [{"system": AUDIT_ACTION_SYSTEM, "code": event.action}],
        "action": "R" if any(word in event.action for word in READS) else "E",
        "recorded": iso(event.occurred_at),
        "outcome": "0" if event.outcome == Outcome.ALLOWED else "4",
        "outcomeDesc": event.outcome.value,
        "agent": [agent],
        "source": {"observer": {"display": "Heed"}},
        "entity": [{"what": {"reference": f"Patient/{patient.id}"}}],
    }


@exporter(covers=(OneTimeToken,), sections=("one_time_links",))
def one_time_links(patient: Patient) -> list[Section]:
    """Invitation and password-reset links sent to the patient (never the secret itself)."""
    tokens = db.session.scalars(
        select(OneTimeToken)
        .where(OneTimeToken.user_id == patient.user_id)
        .order_by(OneTimeToken.created_at)
    ).all()
    return [
        Section(
            "one_time_links",
            [
                {
                    "purpose": t.purpose.value,
                    "created_at": iso(t.created_at),
                    "used_at": iso(t.used_at),
                    "expires_at": iso(t.expires_at),
                }
                for t in tokens
            ],
        )
    ]


@exporter(covers=(BreakGlassGrant,), sections=("break_glass_access",))
def break_glass(patient: Patient) -> list[Section]:
    """Administrators who opened the record without being on the care team, and why."""
    rows = db.session.execute(
        select(BreakGlassGrant, User.display_name)
        .join(User, User.id == BreakGlassGrant.admin_id)
        .where(BreakGlassGrant.patient_id == patient.id)
        .order_by(BreakGlassGrant.created_at)
    ).all()
    return [
        Section(
            "break_glass_access",
            [
                {
                    "administrator": name,
                    "opened_at": iso(grant.created_at),
                    "until": iso(grant.expires_at),
                    "reason": grant.reason,
                }
                for grant, name in rows
            ],
        )
    ]


@eraser(covers=(Patient, SmsConsent, ConsentGrant, CaregiverLink, OneTimeToken))
def identity(patient: Patient) -> None:
    """Pseudonymize the person: no name, email, phone or password remains; sessions end."""
    user = patient.user
    now = utcnow()
    user.display_name = f"Erased patient {str(patient.id)[:8]}"
    user.email, user.phone, user.phone_index, user.password_hash = None, None, None, None
    user.active = False
    user.session_version += 1
    db.session.execute(
        update(SmsConsent)
        .where(SmsConsent.user_id == user.id, SmsConsent.withdrawn_at.is_(None))
        .values(withdrawn_at=now, withdrawal_source=WithdrawalSource.ERASURE)
    )
    links = select(CaregiverLink.id).where(CaregiverLink.patient_id == patient.id)
    db.session.execute(
        update(ConsentGrant)
        .where(ConsentGrant.link_id.in_(links), ConsentGrant.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    db.session.execute(
        update(CaregiverLink)
        .where(CaregiverLink.patient_id == patient.id)
        .values(relationship_label="—")
    )
    db.session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.user_id == user.id, OneTimeToken.used_at.is_(None))
        .values(used_at=now)
    )
    db.session.flush()
