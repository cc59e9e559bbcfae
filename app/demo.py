"""Synthetic demo clinic for `flask seed-demo`. Every person here is invented.

Phone numbers use the +1 (202) 555-01xx range, reserved for fiction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.auth.models import Discipline, Role, User
from app.auth.services import set_phone
from app.careplan import demo as careplan_demo
from app.careteam import services as careteam
from app.careteam.models import CaregiverLink, Clinic, ConsentScope, Patient
from app.conferences import demo as conferences_demo
from app.consent import demo as consent_demo
from app.db import db, utcnow
from app.diary.demo import seed_diaries
from app.education import demo as education_demo
from app.followups.demo import seed_followups
from app.prems.demo import seed_experience
from app.prompts import demo as prompts_demo
from app.referrals import demo as referrals_demo
from app.registry import demo as registry_demo
from app.security import hash_password

DEMO_PASSWORD = "heed-demo-2026"
CLINIC_NAME = "Heed Demo Clinic"
NOT_ONBOARDED = "carmen@example.org"
"""The one demo login that has not seen the introduction yet: it shows at her first sign-in."""


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    locale: str
    timezone: str
    phone: str | None = None


STAFF: list[tuple[Person, Role, Discipline | None]] = [
    (
        Person("clinician@example.org", "Dr. Ana Reyes", "en", "America/New_York"),
        Role.CLINICIAN,
        Discipline.PRIMARY_CARE,
    ),
    (
        Person("psychologist@example.org", "Dr. Samir Haddad", "en", "America/New_York"),
        Role.CLINICIAN,
        Discipline.PSYCHOLOGY,
    ),
    (
        Person("psychiatrist@example.org", "Dr. Lena Vogel", "de", "Europe/Berlin"),
        Role.CLINICIAN,
        Discipline.PSYCHIATRY,
    ),
    (
        Person("physio@example.org", "Jonas Petit", "fr", "Europe/Paris"),
        Role.CLINICIAN,
        Discipline.PHYSIOTHERAPY,
    ),
    (
        Person("socialworker@example.org", "Marta Silva", "pt", "America/Sao_Paulo"),
        Role.CLINICIAN,
        Discipline.SOCIAL_WORK,
    ),
    (
        Person("coordinator@example.org", "Chris Morgan", "en", "America/New_York"),
        Role.COORDINATOR,
        None,
    ),
    (Person("admin@example.org", "Alex Admin", "en", "America/New_York"), Role.ADMIN, None),
]

PATIENTS: list[Person] = [
    Person("patient@example.org", "Jordan Miller", "en", "America/New_York", "+12025550101"),
    Person("paciente@example.org", "Lucía Fernández", "es", "America/Mexico_City", "+12025550102"),
    Person("mariam@example.org", "مريم العلي", "ar", "Asia/Riyadh", "+12025550103"),
    Person("claire@example.org", "Claire Dubois", "fr", "Europe/Paris", "+12025550104"),
    Person("felix@example.org", "Felix Wagner", "de", "Europe/Berlin", "+12025550105"),
    Person("joao@example.org", "João Costa", "pt", "America/Sao_Paulo", "+12025550106"),
    Person("sam@example.org", "Sam Taylor", "en", "America/Los_Angeles", "+12025550107"),
    Person("carmen@example.org", "Carmen Ruiz", "es", "Europe/Madrid", "+12025550108"),
    Person("omar@example.org", "عمر حسن", "ar", "Africa/Cairo", "+12025550109"),
    Person("priya@example.org", "Priya Shah", "en", "Europe/London", "+12025550110"),
    Person("noah@example.org", "Noah Becker", "de", "Europe/Vienna", None),
    Person("ines@example.org", "Inês Almeida", "pt", "Europe/Lisbon", None),
]

# (caregiver, patient email, relationship, scopes)
CAREGIVERS = [
    (
        Person("caregiver@example.org", "Robin Miller", "en", "America/New_York", "+12025550121"),
        "patient@example.org",
        "Partner",
        (
            ConsentScope.RECEIVE_CHECKINS,
            ConsentScope.SUBMIT_OBSERVATIONS,
            ConsentScope.VIEW_DIARY_SUMMARY,
        ),
    ),
    (
        Person(
            "cuidadora@example.org", "Elena Fernández", "es", "America/Mexico_City", "+12025550122"
        ),
        "paciente@example.org",
        "Madre",
        (ConsentScope.RECEIVE_CHECKINS, ConsentScope.VIEW_SCORES),
    ),
]


def _user(
    person: Person, role: Role, *, clinic: Clinic | None, discipline: Discipline | None = None
) -> User:
    user = db.session.scalar(select(User).where(User.email == person.email))
    if user is None:
        user = User(email=person.email, role=role, password_hash=hash_password(DEMO_PASSWORD))
        user.onboarded_at = None if person.email == NOT_ONBOARDED else utcnow()
        db.session.add(user)
    user.display_name, user.locale, user.timezone = person.name, person.locale, person.timezone
    user.discipline, user.clinic_id, user.active = discipline, clinic.id if clinic else None, True
    if person.phone:
        set_phone(user=user, raw=person.phone)
    db.session.flush()
    return user


def seed() -> list[tuple[str, str]]:
    """Create or refresh the demo clinic; returns (role, email) for every demo login."""
    clinic = db.session.scalar(select(Clinic).where(Clinic.name == CLINIC_NAME))
    if clinic is None:
        clinic = Clinic(name=CLINIC_NAME, timezone="America/New_York")
        db.session.add(clinic)
        db.session.flush()
    logins: list[tuple[str, str]] = []
    staff = {}
    for person, role, discipline in STAFF:
        staff[person.email] = _user(person, role, clinic=clinic, discipline=discipline)
        logins.append((role.value, person.email))
    clinicians = [u for u in staff.values() if u.role == Role.CLINICIAN]

    patients: dict[str, Patient] = {}
    for index, person in enumerate(PATIENTS):
        user = _user(person, Role.PATIENT, clinic=clinic)
        patient = db.session.scalar(select(Patient).where(Patient.user_id == user.id))
        if patient is None:
            patient = careteam.enroll_existing_user(
                user=user, clinic=clinic, readable_locales=["en"]
            )
        patients[person.email] = patient
        # Teams of three: the primary-care lead plus two others, rotating.
        team = [clinicians[0], clinicians[1 + index % 4], clinicians[1 + (index + 1) % 4]]
        for position, member in enumerate(team):
            careteam.add_to_team(patient=patient, member=member, is_lead=position == 0)
        logins.append(("patient", person.email))

    observers: dict = {}
    for person, patient_email, relationship, scopes in CAREGIVERS:
        caregiver = _user(person, Role.CAREGIVER, clinic=None)
        patient = patients[patient_email]
        link = db.session.scalar(
            select(CaregiverLink).where(
                CaregiverLink.patient_id == patient.id, CaregiverLink.caregiver_id == caregiver.id
            )
        )
        if link is None:
            link = careteam.link_caregiver(
                patient=patient, caregiver=caregiver, relationship_label=relationship
            )
        for scope in scopes:
            careteam.grant_scope(link=link, scope=scope, granted_by=patient.user)
        logins.append(("caregiver", person.email))
        if ConsentScope.SUBMIT_OBSERVATIONS in scopes:
            observers[patient.id] = caregiver
    seed_diaries(list(patients.values()), observers)

    from app.instruments.demo import seed_questionnaires

    seed_questionnaires(clinic, list(patients.values()), lead=clinicians[0])
    careplan_demo.seed(list(patients.values()))
    prompts_demo.seed()  # SMS consent and default reminder schedules
    seed_followups(list(patients.values()), lead=clinicians[0], others=clinicians[1:])
    consent_demo.seed(clinic)
    referrals_demo.seed(clinic, list(patients.values()), lead=clinicians[0])
    seed_experience(clinic, list(patients.values()), clinicians)
    conferences_demo.seed(clinic, list(patients.values()))
    education_demo.seed(list(patients.values()), lead=clinicians[0])
    registry_demo.seed(clinic, lead=clinicians[0], coordinator=staff["coordinator@example.org"])
    return logins
