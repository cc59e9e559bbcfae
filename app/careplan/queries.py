"""Reads for care plans: versions, comments, and progress through registered data sources."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.careplan import measures, sources
from app.careplan.content import Goal, PlanContent
from app.careplan.models import CarePlanComment, CarePlanVersion
from app.careplan.progress import NO_SOURCE, NOT_LINKED, Progress
from app.careteam.models import Patient
from app.db import db, utcnow


def latest_version(patient: Patient) -> CarePlanVersion | None:
    return db.session.scalar(
        select(CarePlanVersion)
        .where(CarePlanVersion.patient_id == patient.id)
        .order_by(CarePlanVersion.version.desc())
        .limit(1)
    )


def version(patient: Patient, number: int) -> CarePlanVersion | None:
    return db.session.scalar(
        select(CarePlanVersion).where(
            CarePlanVersion.patient_id == patient.id, CarePlanVersion.version == number
        )
    )


def versions(patient: Patient) -> list[CarePlanVersion]:
    return list(
        db.session.scalars(
            select(CarePlanVersion)
            .options(selectinload(CarePlanVersion.author))
            .where(CarePlanVersion.patient_id == patient.id)
            .order_by(CarePlanVersion.version.desc())
        )
    )


def comments(patient: Patient, *, limit: int = 100) -> list[CarePlanComment]:
    return list(
        db.session.scalars(
            select(CarePlanComment)
            .options(selectinload(CarePlanComment.author))
            .where(CarePlanComment.patient_id == patient.id)
            .order_by(CarePlanComment.created_at.desc(), CarePlanComment.id)
            .limit(limit)
        )
    )


def patient_today(patient: Patient) -> date:
    """The patient's local date (their diary day)."""
    try:
        zone = ZoneInfo(patient.user.timezone)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    return utcnow().astimezone(zone).date()


def goal_progress(patient: Patient, goal: Goal, today: date) -> Progress:
    kind = measures.KINDS.get(goal.measure.kind)
    if kind is None or kind.evaluate is None:
        return NOT_LINKED
    start = today - timedelta(days=kind.window_days - 1)
    observations = sources.observations_for(patient, goal.measure, start, today)
    if observations is None:
        return NO_SOURCE
    return kind.evaluate(observations, start, today, goal.measure)


def plan_progress(patient: Patient, plan: PlanContent, today: date) -> dict[str, Progress]:
    return {goal.id: goal_progress(patient, goal, today) for goal in plan.goals}
