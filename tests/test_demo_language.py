"""The demo's seeded prose follows each patient's language (issue 14, defect 15): an
Arabic-speaking demo patient's crisis plan, care plan, comments, diary notes and alert notes are
Arabic, a Spanish-speaking patient's are Spanish; nothing seeded for them is English."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.alerts.models import Alert
from app.auth.models import Role, User
from app.careplan.demo_text import KEYS, TEXT
from app.careplan.models import CarePlanComment, CarePlanVersion
from app.careteam.models import Patient
from app.db import db
from app.diary.demo import LONG_NOTES, SHORT_NOTES
from app.diary.models import CaregiverObservation, DiaryEntry
from app.instruments.demo import ACKNOWLEDGED

ARABIC = re.compile(r"[\u0600-\u06ff]")
ENGLISH = {
    *TEXT["en"].values(),
    *(line for text in TEXT["en"].values() for line in text.split("\n")),
    *SHORT_NOTES["en"],
    LONG_NOTES["en"],
    ACKNOWLEDGED["en"],
}


def _prose(patient: Patient) -> list[str]:
    """Every piece of free text seeded for this patient."""
    texts: list[str] = []
    for version in db.session.scalars(
        select(CarePlanVersion).where(CarePlanVersion.patient_id == patient.id)
    ):
        plan = version.plan
        texts += [plan.hypotheses, plan.escalation, plan.crisis_plan]
        texts += [goal.what for goal in plan.goals] + [i.what for i in plan.interventions]
    for model, column in (
        (CarePlanComment, CarePlanComment.body),
        (DiaryEntry, DiaryEntry.notes),
        (CaregiverObservation, CaregiverObservation.note),
        (Alert, Alert.note),
    ):
        texts += db.session.scalars(select(column).where(model.patient_id == patient.id)).all()
    return [text for text in texts if text]


def test_every_locale_has_the_whole_demo_plan():
    for locale, text in TEXT.items():
        assert set(text) == set(KEYS), locale
        assert all(value.strip() for value in text.values()), locale


def test_seeded_prose_is_in_each_patients_language(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        patients = db.session.scalars(
            select(Patient).join(User, Patient.user_id == User.id).where(User.role == Role.PATIENT)
        ).all()
        checked = set()
        for patient in patients:
            locale, prose = patient.user.locale, _prose(patient)
            if locale == "en" or not prose:
                continue
            checked.add(locale)
            english = [
                text
                for text in prose
                if text in ENGLISH or any(line in ENGLISH for line in text.split("\n"))
            ]
            assert not english, f"{patient.user.email} ({locale}) has English seed text: {english}"
            if locale == "ar":
                assert all(ARABIC.search(text) for text in prose), patient.user.email
        assert {"es", "ar", "de"} <= checked
        # The Arabic-speaking patient with a plan reads her crisis plan in Arabic.
        mariam = db.session.scalar(select(User).where(User.email == "mariam@example.org"))
        version = db.session.scalars(
            select(CarePlanVersion)
            .join(Patient, CarePlanVersion.patient_id == Patient.id)
            .where(Patient.user_id == mariam.id)
        ).first()
        assert version is not None and version.plan.crisis_plan == TEXT["ar"]["crisis"]
