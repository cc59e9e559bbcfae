"""Demo care plans: about half the patients, several authors, idempotent, no phone numbers."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.careplan.demo_text import text_for
from app.careplan.models import CarePlanComment, CarePlanVersion
from app.careteam.models import Patient
from app.db import db


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(CarePlanVersion)),
        db.session.scalar(select(func.count()).select_from(CarePlanComment)),
    )


def test_demo_plans_are_realistic_and_idempotent(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        before = _counts()
        versions = db.session.scalars(select(CarePlanVersion)).all()
        by_patient: dict = {}
        for version in versions:
            by_patient.setdefault(version.patient_id, []).append(version)
        assert len(by_patient) == 6
        for patient_id, plan_versions in by_patient.items():
            locale = db.session.get(Patient, patient_id).user.locale
            assert 2 <= len(plan_versions) <= 3
            assert len({v.author_id for v in plan_versions}) >= 2
            latest = max(plan_versions, key=lambda v: v.version).plan
            assert 2 <= len(latest.goals) <= 3
            # The clinic's crisis resources, in the patient's language (issue 14, defect 15).
            assert latest.crisis_plan == text_for(locale)["crisis"]
            assert not re.search(r"\d{3}", latest.crisis_plan)
        assert before[1] >= 1
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert _counts() == before
