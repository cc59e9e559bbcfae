"""Referrals in a patient's export (rows, and FHIR ServiceRequest + Task per referral, the Task's
history as its notes) and erasure: the free text (reason, question, reasons given, outcome, the
history's notes) is replaced by a marker; statuses, dates and targets stay as pseudonymous care
data. One-time links are deleted. The directory holds no patient data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db
from app.labels import DISCIPLINE_LABELS
from app.referrals.models import (
    CommunityService,
    Referral,
    ReferralEvent,
    ReferralLink,
    Status,
    TargetKind,
    Urgency,
)

ERASED = "[erased]"
FHIR_STATUS = {  # ServiceRequest.status
    Status.DRAFT: "draft",
    Status.REQUESTED: "active",
    Status.ACCEPTED: "active",
    Status.IN_PROGRESS: "active",
    Status.REJECTED: "revoked",
    Status.CANCELLED: "revoked",
    Status.COMPLETED: "completed",
    Status.FAILED: "completed",
}
FHIR_PRIORITY = {Urgency.ROUTINE: "routine", Urgency.SOON: "urgent", Urgency.URGENT: "asap"}


@exporter(
    covers=(Referral, ReferralEvent, ReferralLink),
    sections=("referrals", "referral_links_for_outside_services"),
)
def referrals(patient: Patient) -> list[Section]:
    rows = db.session.execute(
        select(Referral, CommunityService.name)
        .outerjoin(CommunityService, CommunityService.id == Referral.service_id)
        .where(Referral.patient_id == patient.id)
        .order_by(Referral.created_at)
    ).all()
    events: dict[Any, list[ReferralEvent]] = {}
    for event in db.session.scalars(
        select(ReferralEvent)
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(Referral.patient_id == patient.id)
        .order_by(ReferralEvent.at)
    ):
        events.setdefault(event.referral_id, []).append(event)
    plain = [
        {
            "id": str(r.id),
            "to": _target(r, name),
            "status": r.status.value,
            "urgency": r.urgency.value,
            "reason": r.reason,
            "question": r.question,
            "shared_with_service": list(r.shared),
            "consent_at": r.consent_at.isoformat() if r.consent_at else None,
            "sent_at": r.requested_at.isoformat() if r.requested_at else None,
            "reason_given": r.status_reason,
            "outcome": r.outcome,
            "your_answer": r.patient_answer.value if r.patient_answer else None,
            "history": [
                {"at": e.at.isoformat(), "status": e.to_status.value, "note": e.note}
                for e in events.get(r.id, [])
            ],
        }
        for r, name in rows
    ]
    links = [
        {
            "referral": str(link.referral_id),
            "step": link.step.value,
            "issued_at": link.created_at.isoformat(),
            "expires_at": link.expires_at.isoformat(),
            "used_at": link.used_at.isoformat() if link.used_at else None,
        }
        for link in db.session.scalars(
            select(ReferralLink)
            .join(Referral, Referral.id == ReferralLink.referral_id)
            .where(Referral.patient_id == patient.id)
            .order_by(ReferralLink.created_at)
        )
    ]
    fhir: list[dict[str, Any]] = []
    for r, name in rows:
        fhir += [_service_request(r, name), _task(r, name, events.get(r.id, []))]
    return [
        Section("referrals", plain, fhir),
        Section("referral_links_for_outside_services", links),
    ]


def _target(referral: Referral, service_name: str | None) -> str:
    if referral.target_kind == TargetKind.SERVICE:
        return service_name or ""
    if referral.target_kind == TargetKind.DISCIPLINE and referral.target_discipline:
        return str(DISCIPLINE_LABELS[referral.target_discipline])
    return "clinician"


def _service_request(referral: Referral, name: str | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.id),
        "status": FHIR_STATUS[referral.status],
        "intent": "order",
        "priority": FHIR_PRIORITY[referral.urgency],
        "subject": {"reference": f"Patient/{referral.patient_id}"},
        "authoredOn": referral.created_at.isoformat(),
        "performer": [{"display": _target(referral, name)}],
        "reasonCode": [{"text": referral.reason}],
    }
    if referral.question:
        resource["note"] = [{"text": referral.question}]
    if referral.need:
        resource["category"] = [{"text": referral.need}]
    return resource


def _task(referral: Referral, name: str | None, events: list[ReferralEvent]) -> dict[str, Any]:
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": f"task-{referral.id}",
        "status": referral.status.value.replace("_", "-"),
        "intent": "order",
        "focus": {"reference": f"ServiceRequest/{referral.id}"},
        "for": {"reference": f"Patient/{referral.patient_id}"},
        "authoredOn": referral.created_at.isoformat(),
        "owner": {"display": _target(referral, name)},
        "note": [
            {
                "time": e.at.isoformat(),
                "text": f"{e.to_status.value}" + (f": {e.note}" if e.note else ""),
            }
            for e in events
        ],
    }
    if referral.status_reason:
        task["statusReason"] = {"text": referral.status_reason}
    if referral.outcome:
        task["output"] = [{"type": {"text": "outcome"}, "valueString": referral.outcome}]
    return task


@eraser(covers=(Referral, ReferralEvent, ReferralLink))
def erase_referral_text(patient: Patient) -> None:
    ids = select(Referral.id).where(Referral.patient_id == patient.id)
    db.session.execute(delete(ReferralLink).where(ReferralLink.referral_id.in_(ids)))
    db.session.execute(
        update(ReferralEvent)
        .where(ReferralEvent.referral_id.in_(ids), ReferralEvent.note.is_not(None))
        .values(note=ERASED)
        .execution_options(synchronize_session=False)
    )
    for referral in db.session.scalars(select(Referral).where(Referral.patient_id == patient.id)):
        referral.reason = ERASED
        referral.question = ERASED if referral.question else None
        referral.status_reason = ERASED if referral.status_reason else None
        referral.outcome = ERASED if referral.outcome else None
    db.session.flush()
