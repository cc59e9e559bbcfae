"""Seeded people for browser tests that must not share data with other tests: a patient with
the demo's history, questionnaires and care plan, their caregiver, a lead clinician, a
coordinator and an administrator, per locale and per purpose (`tag`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.auth.models import Discipline, Role, User
from app.careteam import services as careteam
from app.careteam.models import Clinic, ConsentScope, Patient
from app.db import db, utcnow
from app.demo import CLINIC_NAME, DEMO_PASSWORD
from app.security import hash_password

ZONES = {"en": "America/New_York", "es": "America/Mexico_City", "ar": "Asia/Riyadh"}


@dataclass(frozen=True)
class People:
    locale: str
    patient_id: str
    tag: str = "journey"

    def email(self, role: str) -> str:
        return f"{self.tag}.{role}.{self.locale}@example.org"


def _user(email: str, role: Role, locale: str, clinic: Clinic | None, **kw) -> User:
    user = User(
        email=email,
        role=role,
        display_name=f"Journey {role.value} {locale}",
        locale=locale,
        timezone=ZONES[locale],
        clinic_id=clinic.id if clinic else None,
        password_hash=hash_password(DEMO_PASSWORD),
        onboarded_at=utcnow(),
        **kw,
    )
    db.session.add(user)
    db.session.flush()
    return user


def seeded_people(live, locale: str, tag: str = "journey") -> People:
    """The people for one locale and purpose, created once per live server (idempotent)."""
    from app.careplan import demo as careplan_demo
    from app.diary.demo import seed_diaries
    from app.instruments.demo import seed_questionnaires

    email = People(locale, "", tag).email("patient")
    with live.app.app_context(), db.transaction():
        existing = db.session.scalar(
            select(Patient.id).join(User, User.id == Patient.user_id).where(User.email == email)
        )
        if existing is not None:
            return People(locale, str(existing), tag)
        clinic = db.session.scalar(select(Clinic).where(Clinic.name == CLINIC_NAME))
        people = People(locale, "", tag)
        lead = _user(
            people.email("clinician"),
            Role.CLINICIAN,
            locale,
            clinic,
            discipline=Discipline.PRIMARY_CARE,
        )
        _user(people.email("coordinator"), Role.COORDINATOR, locale, clinic)
        _user(people.email("admin"), Role.ADMIN, locale, None)
        user = _user(email, Role.PATIENT, locale, clinic)
        patient = careteam.enroll_existing_user(user=user, clinic=clinic, readable_locales=["en"])
        careteam.add_to_team(patient=patient, member=lead, is_lead=True)
        caregiver = _user(people.email("caregiver"), Role.CAREGIVER, locale, None)
        link = careteam.link_caregiver(
            patient=patient, caregiver=caregiver, relationship_label="Journey"
        )
        for scope in (ConsentScope.RECEIVE_CHECKINS, ConsentScope.VIEW_DIARY_SUMMARY):
            careteam.grant_scope(link=link, scope=scope, granted_by=user)
        db.session.flush()
        seed_diaries([patient], {})
        seed_questionnaires(clinic, [patient], lead=lead)
        careplan_demo.seed([patient])
        return People(locale, str(patient.id), tag)
