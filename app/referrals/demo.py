"""Demo directory (invented services, invented addresses and numbers) and a few referrals.
Idempotent: services are found by name; referrals are added once per clinic. No referral is
made from a score: these stand for ones staff sent by hand."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Discipline, Role, User
from app.careteam.models import CareTeamMembership, Clinic, Patient
from app.db import db, utcnow
from app.referrals import services
from app.referrals.machine import Party
from app.referrals.models import CommunityService, Referral, Status, TargetKind, Urgency

SERVICES = [
    {
        "name": "Riverside Community Food Bank",
        "help_kinds": ["food"],
        "languages": ["en", "es"],
        "address": "12 Example Street (invented)",
        "phone": "+1 202 555 0180",
        "email": "referrals@foodbank.example.org",
        "hours": "Mon-Fri 9:00-17:00",
        "accepts": "Referral link or phone; walk-ins on Wednesdays",
        "active": True,
    },
    {
        "name": "Northside Housing Advice",
        "help_kinds": ["housing", "money", "legal"],
        "languages": ["en", "es", "pt"],
        "address": "40 Sample Avenue (invented)",
        "phone": "+1 202 555 0181",
        "email": "",
        "hours": "Tue and Thu 10:00-16:00",
        "accepts": "Referral link, given by phone",
        "active": True,
    },
    {
        "name": "Volunteer Ride Service",
        "help_kinds": ["transportation"],
        "languages": ["en"],
        "address": "",
        "phone": "+1 202 555 0182",
        "email": "",
        "hours": "Book two days ahead",
        "accepts": "Phone only",
        "active": True,
    },
    {
        "name": "Warm Homes Energy Help",
        "help_kinds": ["utilities", "money"],
        "languages": ["en", "fr"],
        "address": "",
        "phone": "+1 202 555 0183",
        "email": "",
        "hours": "Mon-Fri 8:00-12:00",
        "accepts": "Referral link",
        "active": True,
    },
]


def seed_directory(clinic: Clinic) -> dict[str, CommunityService]:
    known = {
        s.name: s
        for s in db.session.scalars(
            select(CommunityService).where(CommunityService.clinic_id == clinic.id)
        )
    }
    for values in SERVICES:
        if values["name"] not in known:
            known[values["name"]] = services.save_service(
                clinic_id=clinic.id, service=None, values=values
            )
    return known


def _member(patient: Patient, discipline: Discipline) -> User | None:
    return db.session.scalar(
        select(User)
        .join(CareTeamMembership, CareTeamMembership.member_id == User.id)
        .where(
            CareTeamMembership.patient_id == patient.id,
            CareTeamMembership.ended_at.is_(None),
            User.role == Role.CLINICIAN,
            User.discipline == discipline,
        )
    )


def seed(clinic: Clinic, patients: list[Patient], *, lead: User) -> int:
    """The directory and, once, three referrals; returns how many referrals were added."""
    directory = seed_directory(clinic)
    if db.session.scalar(select(Referral.id).where(Referral.clinic_id == clinic.id).limit(1)):
        return 0
    added = 0
    now = utcnow()
    for patient in patients[1:]:  # the first demo patient is left for the tour
        worker = _member(patient, Discipline.SOCIAL_WORK)
        if worker is None:
            continue
        food = services.create(
            patient=patient,
            requester=worker,
            target_kind=TargetKind.SERVICE,
            service=directory["Riverside Community Food Bank"],
            need="food",
            reason="Screened positive for food insecurity; would like a food parcel.",
            question=None,
            urgency=Urgency.SOON,
            shared=["contact", "reason"],
            consent=True,
        )
        food.requested_at = now - timedelta(days=9)
        services.change_status(
            referral=food,
            new=Status.ACCEPTED,
            party=Party.RECEIVER,
            actor=None,
            by_service=True,
            now=now - timedelta(days=8),
        )
        added += 1
        break
    if len(patients) > 2:
        psych = services.create(
            patient=patients[2],
            requester=lead,
            target_kind=TargetKind.DISCIPLINE,
            discipline=Discipline.PSYCHIATRY,
            reason="Persistent low mood despite psychotherapy; medication review.",
            question="Would an antidepressant trial be appropriate?",
            urgency=Urgency.ROUTINE,
            shared=["reason", "question"],
            consent=True,
        )
        psych.requested_at = now - timedelta(days=20)  # overdue: shows in registry and agenda
        added += 1
    db.session.flush()
    return added
