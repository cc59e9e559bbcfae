"""Factory helpers: each call commits in its own app context and returns loaded objects."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime

from flask import Flask

from app.auth.models import Discipline, Role, User
from app.auth.services import set_phone
from app.careteam import services as careteam
from app.careteam.models import CaregiverLink, Clinic, ConsentScope, Patient
from app.db import db, utcnow
from app.security import hash_password

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


class Factory:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def clinic(self, name: str | None = None) -> Clinic:
        with self.app.test_request_context():
            clinic = Clinic(name=name or f"Clinic {next(_counter)}", timezone="Europe/Berlin")
            db.session.add(clinic)
            db.session.commit()
            return clinic

    def user(
        self,
        role: Role,
        *,
        clinic: Clinic | None = None,
        discipline: Discipline | None = None,
        email: str | None = None,
        password: str | None = PASSWORD,
        locale: str = "en",
        timezone: str = "UTC",
        name: str | None = None,
        phone: str | None = None,
        onboarded: bool = True,
    ) -> User:
        n = next(_counter)
        with self.app.test_request_context():
            user = User(
                email=email or f"{role.value}{n}@example.org",
                display_name=name or f"{role.value.title()} {n}",
                role=role,
                discipline=discipline,
                clinic_id=clinic.id if clinic else None,
                locale=locale,
                timezone=timezone,
                password_hash=hash_password(password) if password else None,
            )
            if onboarded:  # most tests sign in as someone who has seen the introduction
                user.onboarded_at = utcnow()
            db.session.add(user)
            if phone:
                set_phone(user=user, raw=phone)
            db.session.commit()
            return user

    def clinician(
        self, clinic: Clinic | None = None, discipline: Discipline = Discipline.PSYCHOLOGY, **kw
    ) -> User:
        return self.user(
            Role.CLINICIAN, clinic=clinic or self.clinic(), discipline=discipline, **kw
        )

    def coordinator(self, clinic: Clinic, **kw) -> User:
        return self.user(Role.COORDINATOR, clinic=clinic, **kw)

    def admin(self, **kw) -> User:
        return self.user(Role.ADMIN, **kw)

    def patient(
        self,
        clinic: Clinic | None = None,
        *,
        team: Iterable[User] = (),
        enrolled_at: datetime | None = None,
        **kw,
    ) -> Patient:
        """`enrolled_at`: when the patient joined (now by default; earlier for a history)."""
        clinic = clinic or self.clinic()
        user = self.user(Role.PATIENT, clinic=clinic, **kw)
        with self.app.test_request_context():
            patient = careteam.enroll_existing_user(
                user=db.session.get(User, user.id),
                clinic=db.session.get(Clinic, clinic.id),
                readable_locales=[],
            )
            if enrolled_at is not None:
                patient.enrolled_at = enrolled_at
            for position, member in enumerate(team):
                careteam.add_to_team(
                    patient=patient, member=db.session.get(User, member.id), is_lead=position == 0
                )
            db.session.commit()
            db.session.refresh(patient)
            _ = patient.user, patient.clinic
            return patient

    def caregiver(
        self, patient: Patient, scopes: Iterable[ConsentScope] = (), **kw
    ) -> tuple[User, CaregiverLink]:
        caregiver = self.user(Role.CAREGIVER, **kw)
        with self.app.test_request_context():
            link = careteam.link_caregiver(
                patient=db.session.get(Patient, patient.id),
                caregiver=db.session.get(User, caregiver.id),
                relationship_label="Sibling",
            )
            for scope in scopes:
                careteam.grant_scope(
                    link=link, scope=scope, granted_by=db.session.get(User, patient.user_id)
                )
            db.session.commit()
            return caregiver, link
