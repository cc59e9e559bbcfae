"""Writing referrals: the directory, sending, status changes (with history and the referrer's
notice), one-time links for outside services, the patient's answer, overdue alerts.
Services flush; the request or the job commits. No referral is ever created from a score:
only `create` makes one, and only a person's form calls it."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from app import audit
from app.alerts import rules
from app.alerts import services as alerts
from app.alerts.models import Severity
from app.auth.models import Discipline, User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.referrals import notify
from app.referrals.machine import ANSWERED, CLOSED, Party, Refused, check
from app.referrals.models import (
    TEXT_MAX,
    CommunityService,
    LinkStep,
    PatientAnswer,
    Referral,
    ReferralEvent,
    ReferralLink,
    Status,
    TargetKind,
    Urgency,
)
from app.security import token_digest

SHAREABLE = ("contact", "reason", "question")


def response_days(urgency: Urgency) -> int:
    """Days the receiver has to answer before the referral is overdue (app/config.py)."""
    return int(current_app.config[f"REFERRAL_DAYS_{urgency.value.upper()}"])


def due_by(referral: Referral) -> datetime | None:
    if referral.requested_at is None:
        return None
    return referral.requested_at + timedelta(days=response_days(referral.urgency))


def is_overdue(referral: Referral, *, now: datetime) -> bool:
    """Sent, not answered, and past its urgency's days."""
    due = due_by(referral)
    return referral.status == Status.REQUESTED and due is not None and due < now


# -- Directory --------------------------------------------------------------------------------


def save_service(
    *, clinic_id: uuid.UUID, service: CommunityService | None, values: dict[str, Any]
) -> CommunityService:
    """Create (service None) or update a directory entry of the clinic."""
    if service is None:
        service = CommunityService(clinic_id=clinic_id)
        db.session.add(service)
    for key in ("name", "help_kinds", "languages", "address", "phone", "email", "hours"):
        setattr(service, key, values[key])
    service.accepts = values["accepts"]
    service.active = bool(values["active"])
    service.updated_at = utcnow()
    db.session.flush()
    return service


# -- Sending ----------------------------------------------------------------------------------


def create(
    *,
    patient: Patient,
    requester: User,
    target_kind: TargetKind,
    discipline: Discipline | None = None,
    target_user: User | None = None,
    service: CommunityService | None = None,
    reason: str,
    question: str | None,
    urgency: Urgency,
    shared: list[str],
    consent: bool,
    need: str | None = None,
    send: bool = True,
    rerouted_from: Referral | None = None,
) -> Referral:
    """A new referral (draft, or sent at once). Raises Refused with "service_unavailable"
    (no such active service of the patient's clinic), "consent_required" (an outside service
    without the patient's consent to share), "target_required" or "text_too_long"."""
    reason = reason.strip()
    if not reason or len(reason) > TEXT_MAX or len(question or "") > TEXT_MAX:
        raise Refused("text_too_long" if reason else "reason_required")
    if target_kind == TargetKind.SERVICE:
        if service is None or not service.active or service.clinic_id != patient.clinic_id:
            raise Refused("service_unavailable")
        if not consent:
            raise Refused("consent_required")
    elif (target_kind == TargetKind.DISCIPLINE and discipline is None) or (
        target_kind == TargetKind.CLINICIAN
        and (target_user is None or target_user.clinic_id != patient.clinic_id)
    ):
        raise Refused("target_required")
    now = utcnow()
    referral = Referral(
        patient_id=patient.id,
        clinic_id=patient.clinic_id,
        requester_id=requester.id,
        target_kind=target_kind,
        target_discipline=discipline if target_kind == TargetKind.DISCIPLINE else None,
        target_user_id=target_user.id
        if target_kind == TargetKind.CLINICIAN and target_user
        else None,
        service_id=service.id if target_kind == TargetKind.SERVICE and service else None,
        need=need,
        reason=reason,
        question=(question or "").strip() or None,
        urgency=urgency,
        shared=[s for s in SHAREABLE if s in shared] if consent else [],
        consent_at=now if consent else None,
        consent_recorded_by_id=requester.id if consent else None,
        status=Status.DRAFT,
        rerouted_from_id=rerouted_from.id if rerouted_from else None,
        created_at=now,
    )
    audit.add(referral, "referral.create", patient_id=patient.id, object_type="referral")
    _event(referral, None, Status.DRAFT, actor=requester, note=None, now=now)
    if send:
        change_status(
            referral=referral, new=Status.REQUESTED, party=Party.REQUESTER, actor=requester
        )
    return referral


def reroute(*, declined: Referral, **kwargs: Any) -> Referral:
    """A new internal referral linked to a declined one (Refused("forbidden") otherwise)."""
    if declined.status != Status.REJECTED or declined.target_kind == TargetKind.SERVICE:
        raise Refused("forbidden")
    if kwargs.get("target_kind") == TargetKind.SERVICE:
        raise Refused("forbidden")
    return create(rerouted_from=declined, **kwargs)


def _event(
    referral: Referral,
    frm: Status | None,
    to: Status,
    *,
    actor: User | None,
    note: str | None,
    now: datetime,
    by_service: bool = False,
) -> ReferralEvent:
    seen = now if actor is not None and actor.id == referral.requester_id else None
    event = ReferralEvent(
        referral_id=referral.id,
        from_status=frm,
        to_status=to,
        actor_id=actor.id if actor else None,
        by_service=by_service,
        note=note,
        at=now,
        seen_at=seen,
    )
    db.session.add(event)
    return event


def change_status(
    *,
    referral: Referral,
    new: Status,
    party: Party,
    actor: User | None,
    note: str | None = None,
    by_service: bool = False,
    now: datetime | None = None,
) -> ReferralEvent:
    """Move the referral on (machine.check raises Refused, nothing written); keep the history,
    audit it and tell the referrer (unless they made the change themself)."""
    now = now or utcnow()
    note = (note or "").strip() or None
    if note is not None and len(note) > TEXT_MAX:
        raise Refused("text_too_long")
    check(referral.status, new, party, note=note)
    old = referral.status
    referral.status = new
    if new == Status.REQUESTED:
        referral.requested_at = now
    if new in ANSWERED and referral.first_response_at is None:
        referral.first_response_at = now
    if new in (Status.REJECTED, Status.FAILED, Status.CANCELLED):
        referral.status_reason = note
    if new == Status.COMPLETED:
        referral.outcome = note
    if new in CLOSED:
        referral.closed_at = now
    event = _event(referral, old, new, actor=actor, note=note, now=now, by_service=by_service)
    db.session.flush()
    audit.record(
        "referral.status",
        patient_id=referral.patient_id,
        object_type="referral",
        object_id=str(referral.id),
    )
    if event.seen_at is None and new != Status.REQUESTED:
        notify.referrer(referral, new)
    return event


def mark_seen(*, referral: Referral, now: datetime | None = None) -> None:
    """The referrer opened the referral: its changes are no longer news on their home."""
    db.session.execute(
        update(ReferralEvent)
        .where(ReferralEvent.referral_id == referral.id, ReferralEvent.seen_at.is_(None))
        .values(seen_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


# -- One-time links for outside services ------------------------------------------------------


class LinkGone(LookupError):
    """The link is unknown, expired or already used."""


def issue_link(*, referral: Referral, step: LinkStep, now: datetime | None = None) -> str:
    """A new link secret (only its digest is stored); earlier unused links of the referral end."""
    now = now or utcnow()
    db.session.execute(
        update(ReferralLink)
        .where(ReferralLink.referral_id == referral.id, ReferralLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    raw = secrets.token_urlsafe(24)
    db.session.add(
        ReferralLink(
            referral_id=referral.id,
            step=step,
            digest=token_digest(raw),
            created_at=now,
            expires_at=now + timedelta(days=current_app.config["REFERRAL_LINK_DAYS"]),
        )
    )
    db.session.flush()
    audit.record(
        "referral.link_issued",
        patient_id=referral.patient_id,
        object_type="referral",
        object_id=str(referral.id),
    )
    return raw


def open_link(raw: str, *, now: datetime | None = None) -> ReferralLink:
    """The live link for `raw` (not used, not expired); raises LinkGone."""
    now = now or utcnow()
    link = db.session.scalar(
        select(ReferralLink).where(
            ReferralLink.digest == token_digest(raw),
            ReferralLink.used_at.is_(None),
            ReferralLink.expires_at > now,
        )
    )
    if link is None:
        raise LinkGone
    return link


def use_link(
    *, raw: str, new: Status, note: str | None, now: datetime | None = None
) -> tuple[Referral, str | None]:
    """The outside service answers through its link: the change is checked by the machine,
    the link is used up (also under concurrency); accepting returns a new outcome link."""
    now = now or utcnow()
    link = open_link(raw, now=now)
    referral = db.session.get(Referral, link.referral_id)
    if referral is None:
        raise LinkGone
    allowed = (
        {Status.ACCEPTED, Status.REJECTED}
        if link.step == LinkStep.RESPOND
        else {Status.IN_PROGRESS, Status.COMPLETED, Status.FAILED}
    )
    if new not in allowed:
        raise Refused("forbidden")
    check(referral.status, new, Party.RECEIVER, note=(note or "").strip() or None)
    claimed = db.session.execute(
        update(ReferralLink)
        .where(ReferralLink.id == link.id, ReferralLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise LinkGone
    change_status(
        referral=referral,
        new=new,
        party=Party.RECEIVER,
        actor=None,
        note=note,
        by_service=True,
        now=now,
    )
    audit.record(
        "referral.service_view",
        patient_id=referral.patient_id,
        object_type="referral",
        object_id=str(referral.id),
    )
    following = None
    if new in (Status.ACCEPTED, Status.IN_PROGRESS):
        following = issue_link(referral=referral, step=LinkStep.OUTCOME, now=now)
    return referral, following


# -- The patient's answer ---------------------------------------------------------------------


def record_answer(
    *, referral: Referral, answer: PatientAnswer, now: datetime | None = None
) -> None:
    """The patient says whether they got help (the referrer sees it; it does not close the task)."""
    referral.patient_answer = answer
    referral.patient_answered_at = now or utcnow()
    db.session.flush()
    audit.record(
        "referral.patient_answer",
        patient_id=referral.patient_id,
        object_type="referral",
        object_id=str(referral.id),
    )
    notify.referrer_of_answer(referral)


# -- Overdue ----------------------------------------------------------------------------------


def raise_overdue(*, now: datetime | None = None) -> int:
    """An alert for the referrer's patient for each newly overdue referral (once each)."""
    now = now or utcnow()
    candidates = db.session.scalars(
        select(Referral).where(
            Referral.status == Status.REQUESTED, Referral.overdue_alerted_at.is_(None)
        )
    ).all()
    raised = 0
    for referral in candidates:
        if is_overdue(referral, now=now):
            alerts.raise_alert(
                patient_id=referral.patient_id,
                rule_code=rules.REFERRAL_OVERDUE,
                severity=Severity.NORMAL,
                source_type="referral",
                source_id=referral.id,
                snapshot={"urgency": referral.urgency.value, "due": due_by(referral).isoformat()},
                now=now,
            )
            referral.overdue_alerted_at = now
            raised += 1
    db.session.flush()
    return raised
