"""Shared builders for care-plan tests."""

from __future__ import annotations

from datetime import date

from app.auth.models import Discipline
from app.careplan.content import Goal, Intervention, Measure, PlanContent

FREE_TEXT = "Pain flares after long shifts; worry about the heart keeps the cycle going."


def plan(hypotheses: str = FREE_TEXT, *, goal_what: str = "Sleep long enough") -> PlanContent:
    return PlanContent(
        hypotheses=hypotheses,
        goals=(
            Goal(
                "",
                goal_what,
                Discipline.PRIMARY_CARE,
                Measure("sleep_hours_nights_per_week", amount=7, target=5),
                date(2030, 1, 31),
            ),
        ),
        interventions=(Intervention("", "Sleep hygiene plan", Discipline.PRIMARY_CARE),),
        escalation="Psychiatry if PHQ-9 rises by 5 points.",
        crisis_plan="Use the crisis resources your clinic gave you.",
    )
