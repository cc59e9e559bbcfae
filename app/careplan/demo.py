"""Demo care plans for `flask seed-demo`: about half the demo patients get 2-3 versions.

Deterministic (fixed text in the patient's language from `demo_text`, ids derived with uuid5) and idempotent (a patient who already has
a plan is left alone). Crisis plans refer to the clinic's own crisis resources and never
carry a phone number.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import Discipline, User
from app.careplan import services
from app.careplan.content import Goal, Intervention, Measure, PlanContent
from app.careplan.demo_text import text_for
from app.careplan.models import CarePlanVersion
from app.careplan.queries import patient_today
from app.careteam.models import CareTeamMembership, Patient
from app.db import db, utcnow

NAMESPACE = uuid.UUID("5b0c8f1e-7c55-4c0e-9a59-0c1d2b7e6a11")
# Every other demo patient has a plan; patient@example.org (the first) always does.
WITH_PLAN = (0, 2, 4, 6, 8, 10)


def _id(patient: Patient, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{patient.id}:{key}"))


def _versions(patient: Patient, today: date) -> list[PlanContent]:
    t = text_for(patient.user.locale)  # the plan is written in the patient's language
    goals = (
        Goal(
            _id(patient, "sleep"),
            t["goal_sleep"],
            Discipline.PRIMARY_CARE,
            Measure("sleep_hours_nights_per_week", amount=7, target=5),
            today + timedelta(days=42),
        ),
        Goal(
            _id(patient, "walk"),
            t["goal_walk"],
            Discipline.PHYSIOTHERAPY,
            Measure("activity_minutes_days_per_week", "physical", amount=20, target=5),
            today + timedelta(days=56),
        ),
        Goal(
            _id(patient, "mood"),
            t["goal_mood"],
            Discipline.PSYCHOLOGY,
            Measure("instrument_total_below", "phq9", target=10),
            today + timedelta(days=84),
        ),
    )
    interventions = (
        Intervention(
            _id(patient, "i-sleep"),
            t["do_sleep"],
            Discipline.PRIMARY_CARE,
        ),
        Intervention(
            _id(patient, "i-cbt"),
            t["do_cbt"],
            Discipline.PSYCHOLOGY,
        ),
        Intervention(_id(patient, "i-pace"), t["do_pace"], Discipline.PHYSIOTHERAPY),
    )
    first = PlanContent(
        hypotheses=t["hypotheses"],
        goals=goals[:2],
        interventions=interventions[:2],
        escalation=t["escalation"],
        crisis_plan=t["crisis"],
    )
    second = replace(
        first,
        goals=goals,
        interventions=interventions,
        hypotheses=first.hypotheses + "\n" + t["boom_bust"],
    )
    third = replace(
        second,
        goals=(
            replace(goals[0], measure=Measure("sleep_hours_nights_per_week", amount=6.5, target=5)),
            *goals[1:],
        ),
        escalation=second.escalation + "\n" + t["social_work"],
    )
    return [first, second, third]


def _team(patient: Patient) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(CareTeamMembership, CareTeamMembership.member_id == User.id)
            .where(
                CareTeamMembership.patient_id == patient.id, CareTeamMembership.ended_at.is_(None)
            )
            .order_by(CareTeamMembership.is_lead.desc(), User.email)
        )
    )


def seed(patients: list[Patient]) -> None:
    """Give every other demo patient a plan with 2-3 versions by different team members."""
    for index in WITH_PLAN:
        if index >= len(patients):
            continue
        patient = patients[index]
        exists = db.session.scalar(
            select(CarePlanVersion.id).where(CarePlanVersion.patient_id == patient.id).limit(1)
        )
        if exists is not None:
            continue
        team = _team(patient)
        plans = _versions(patient, patient_today(patient))[: 3 if index % 4 == 0 else 2]
        now = utcnow()
        for number, content in enumerate(plans):
            version = services.save_version(
                patient=patient,
                author=team[number % len(team)],
                content=content,
                base_version=number,
            )
            version.created_at = now - timedelta(days=21 - 7 * number)
        if index in (0, 2):
            comment = services.add_comment(
                patient=patient,
                author=patient.user,
                body=text_for(patient.user.locale)["comment"],
                plan_version=len(plans),
            )
            comment.created_at = now - timedelta(days=2)
    db.session.flush()
