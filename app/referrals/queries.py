"""Reading referrals: who may see and act on one, lists for the staff home, the patient, the
registry, the agenda and the metrics (each a constant number of queries)."""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from app.access import Action, may
from app.auth.models import Role, User
from app.careteam.models import Patient
from app.db import among, db
from app.referrals.machine import CLOSED, OPEN, Party
from app.referrals.models import (
    CommunityService,
    PatientAnswer,
    Referral,
    ReferralEvent,
    Status,
    TargetKind,
)
from app.referrals.services import is_overdue


def parties(user: User, referral: Referral, patient: Patient) -> set[Party]:
    """The sides `user` may act for: the referring side (the referrer, the patient's care
    team, the clinic's coordinators) and the receiving clinician or discipline."""
    found: set[Party] = set()
    if not user.is_active or user.role not in (Role.CLINICIAN, Role.COORDINATOR):
        return found
    if user.id == referral.requester_id or may(user, Action.REFER, patient):
        found.add(Party.REQUESTER)
    if receives(user, referral):
        found.add(Party.RECEIVER)
    return found


def receives(user: User, referral: Referral) -> bool:
    if user.role != Role.CLINICIAN or user.clinic_id != referral.clinic_id:
        return False
    if referral.target_kind == TargetKind.CLINICIAN:
        return referral.target_user_id == user.id
    return referral.target_kind == TargetKind.DISCIPLINE and (
        user.discipline == referral.target_discipline
    )


def _receiver_clause(user: User):
    return and_(
        Referral.clinic_id == user.clinic_id,
        or_(
            Referral.target_user_id == user.id,
            and_(
                Referral.target_kind == TargetKind.DISCIPLINE,
                Referral.target_discipline == user.discipline,
            ),
        ),
    )


@dataclass(frozen=True)
class Row:
    referral: Referral
    patient: Patient
    service: CommunityService | None
    target_user: User | None
    requester: User


def _rows(*conditions) -> list[Row]:
    target = aliased(User)
    requester = aliased(User)
    result = db.session.execute(
        select(Referral, Patient, CommunityService, target, requester)
        .join(Patient, Patient.id == Referral.patient_id)
        .join(requester, requester.id == Referral.requester_id)
        .outerjoin(CommunityService, CommunityService.id == Referral.service_id)
        .outerjoin(target, target.id == Referral.target_user_id)
        .where(*conditions)
        .order_by(Referral.created_at.desc(), Referral.id)
    ).all()
    return [Row(*row) for row in result]


def row(referral_id: uuid.UUID) -> Row | None:
    found = _rows(Referral.id == referral_id)
    return found[0] if found else None


def for_patient(patient: Patient) -> list[Row]:
    return _rows(Referral.patient_id == patient.id)


def waiting_for(user: User) -> list[Row]:
    """Referrals sent to this clinician (by name or discipline) still waiting for them."""
    if user.role != Role.CLINICIAN:
        return []
    return _rows(
        _receiver_clause(user),
        Referral.status.in_([Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS]),
    )


def updates_for(user: User) -> list[tuple[ReferralEvent, Row]]:
    """Changes to referrals this person sent that they have not opened yet."""
    events = list(
        db.session.scalars(
            select(ReferralEvent)
            .join(Referral, Referral.id == ReferralEvent.referral_id)
            .where(Referral.requester_id == user.id, ReferralEvent.seen_at.is_(None))
            .order_by(ReferralEvent.at.desc())
            .limit(20)
        )
    )
    rows = {r.referral.id: r for r in _rows(Referral.id.in_({e.referral_id for e in events}))}
    return [(event, rows[event.referral_id]) for event in events if event.referral_id in rows]


def sent_by(user: User) -> list[Row]:
    """What this person sent and what is open in their clinic (coordinators: everything open)."""
    if user.role == Role.COORDINATOR:
        return _rows(Referral.clinic_id == user.clinic_id, Referral.status.in_(OPEN))
    return _rows(Referral.requester_id == user.id)


def history(referral: Referral) -> list[tuple[ReferralEvent, User | None]]:
    return [
        (event, actor)
        for event, actor in db.session.execute(
            select(ReferralEvent, User)
            .outerjoin(User, User.id == ReferralEvent.actor_id)
            .where(ReferralEvent.referral_id == referral.id)
            .order_by(ReferralEvent.at, ReferralEvent.id)
        )
    ]


def rerouted_as(referral: Referral) -> Referral | None:
    return db.session.scalar(select(Referral).where(Referral.rerouted_from_id == referral.id))


# -- Directory --------------------------------------------------------------------------------


def services(clinic_id: uuid.UUID, *, active_only: bool = False) -> list[CommunityService]:
    query = select(CommunityService).where(CommunityService.clinic_id == clinic_id)
    if active_only:
        query = query.where(CommunityService.active.is_(True))
    return list(db.session.scalars(query.order_by(CommunityService.name, CommunityService.id)))


def service_of_clinic(
    clinic_id: uuid.UUID, service_id: uuid.UUID | None
) -> CommunityService | None:
    if service_id is None:
        return None
    return db.session.scalar(
        select(CommunityService).where(
            CommunityService.id == service_id, CommunityService.clinic_id == clinic_id
        )
    )


def colleagues(clinic_id: uuid.UUID) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.clinic_id == clinic_id, User.role == Role.CLINICIAN, User.active.is_(True))
            .order_by(User.display_name, User.id)
        )
    )


# -- Registry, agenda, metrics ----------------------------------------------------------------


def open_by_patient(patient_ids: Iterable[uuid.UUID], *, now: datetime) -> tuple[dict, set]:
    """Open referrals per patient and the patients with an overdue one (one query)."""
    counts: dict[uuid.UUID, int] = {}
    overdue: set[uuid.UUID] = set()
    ids = list(patient_ids)
    if not ids:
        return counts, overdue
    for referral in db.session.scalars(
        select(Referral).where(among(Referral.patient_id, ids), Referral.status.in_(OPEN))
    ):
        counts[referral.patient_id] = counts.get(referral.patient_id, 0) + 1
        if is_overdue(referral, now=now):
            overdue.add(referral.patient_id)
    return counts, overdue


@dataclass(frozen=True)
class Measures:
    sent: int
    median_days_to_response: float | None
    closed: int
    closed_with_outcome: int
    confirmed_by_patient: int

    def share(self, part: int) -> int | None:
        return round(100 * part / self.sent) if self.sent else None


def measures(clinic_id: uuid.UUID, *, start: datetime, end: datetime) -> Measures:
    """Referrals sent in [start, end): time to first response (median days), how many were
    closed with an outcome (completed) and how many the patient confirmed ("Got help")."""
    referrals = list(
        db.session.scalars(
            select(Referral).where(
                Referral.clinic_id == clinic_id,
                Referral.requested_at >= start,
                Referral.requested_at < end,
            )
        )
    )
    waits = [
        (r.first_response_at - r.requested_at) / timedelta(days=1)
        for r in referrals
        if r.first_response_at is not None and r.requested_at is not None
    ]
    return Measures(
        sent=len(referrals),
        median_days_to_response=round(statistics.median(waits), 1) if waits else None,
        closed=sum(r.status in CLOSED for r in referrals),
        closed_with_outcome=sum(
            r.status == Status.COMPLETED and bool(r.outcome) for r in referrals
        ),
        confirmed_by_patient=sum(r.patient_answer == PatientAnswer.GOT_HELP for r in referrals),
    )


def local_bounds(start: date, end: date, zone) -> tuple[datetime, datetime]:
    """Inclusive local dates to aware instants [start 00:00, day after end 00:00)."""
    first = datetime.combine(start, datetime.min.time(), tzinfo=zone)
    last = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return first, last
