"""Missing is never zero in care-plan progress: a diary day that does not answer what a goal
measures is a missing day on the care plan page, never a 0 (which would count as a recorded
day that missed the goal, or as a success for 'at most').

Each test is built so that counting the missing days as zeros gives a different page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from app.auth.models import Discipline, User
from app.careplan import services
from app.careplan.content import Goal, Measure, PlanContent
from app.careplan.progress import Status
from app.careplan.queries import goal_progress
from app.careteam.models import Patient
from app.db import db
from app.diary.models import ActivityKind
from tests.diary.days import add_day

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
PHYSICAL, COGNITIVE = ActivityKind.PHYSICAL, ActivityKind.COGNITIVE
GOALS = {
    "Walk": Measure("activity_minutes_days_per_week", "physical", amount=20, target=5),
    "Sleep": Measure("sleep_hours_nights_per_week", amount=7, target=5),
    "Pain": Measure("symptom_at_most_most_days", "pain", target=4),
}


def _plan() -> PlanContent:
    return PlanContent(
        hypotheses="",
        goals=tuple(
            Goal("", what, Discipline.PRIMARY_CARE, measure, date(2030, 1, 31))
            for what, measure in GOALS.items()
        ),
        interventions=(),
        escalation="",
        crisis_plan="",
    )


def _card(html: str, what: str) -> str:
    return html.split(f'<h3 class="goal-title free-text" dir="auto">{what}</h3>', 1)[1].split(
        "</li>", 1
    )[0]


@time_machine.travel(NOW, tick=False)
def test_care_plan_progress_counts_days_without_the_measured_answer_as_missing(
    app, make, client, auth
):
    """Last 7 days: 3 with 25 walking minutes and 8 hours of sleep; 2 with walking only planned
    and 2 with only a planned cognitive activity, none of the 4 with sleep. Last 14 days: pain
    rated 7 on 6 days, the other 8 rate a headache only. Every goal has too few recorded days
    to tell. Read as zeros, walking and sleep would be "not yet" on 7 recorded days, and pain
    "met" (8 days of 0 out of 14)."""
    clinician = make.clinician()
    patient = make.patient(team=[clinician], timezone="UTC")
    for offset in range(14):
        day = TODAY - timedelta(days=offset)
        if offset < 3:
            add_day(
                app,
                patient,
                day,
                sleep_minutes=480,
                activity={PHYSICAL: (None, 25)},
                symptoms={"headache": 5},
            )
        elif offset < 5:
            add_day(app, patient, day, activity={PHYSICAL: (30, None)}, symptoms={"headache": 5})
        elif offset < 7:
            add_day(app, patient, day, activity={COGNITIVE: (20, None)}, symptoms={"headache": 5})
        elif offset < 13:
            add_day(app, patient, day, symptoms={"pain": 7})
        else:
            add_day(app, patient, day, symptoms={"headache": 5})
    with app.test_request_context():
        services.save_version(
            patient=db.session.get(Patient, patient.id),
            author=db.session.get(User, clinician.id),
            content=_plan(),
            base_version=0,
        )
        db.session.commit()

    auth.login(patient.user.email)
    html = client.get(f"/patients/{patient.id}/care-plan").get_data(as_text=True)
    for what, recorded, window in (("Walk", 3, 7), ("Sleep", 3, 7), ("Pain", 6, 14)):
        card = _card(html, what)
        assert "There are not enough entries yet to tell." in card, what
        assert f"{recorded} days recorded in the last {window} days." in card, what


@pytest.fixture
def patient(app, make, ctx):
    return db.session.get(Patient, make.patient(timezone="UTC").id)


def _walking(patient) -> Goal:
    return Goal("g", "Walk", Discipline.PHYSIOTHERAPY, GOALS["Walk"])


@time_machine.travel(NOW, tick=False)
def test_walking_is_zero_only_on_days_the_patient_recorded_other_activity_done(app, patient):
    """A day with another activity's minutes done and no walking is a day without walking (0);
    a day whose only answers are planned minutes says nothing about what was done."""
    days = [TODAY - timedelta(days=n) for n in range(7)]
    for day in days[:3]:
        add_day(app, patient, day, activity={PHYSICAL: (None, 30)})
    add_day(app, patient, days[3], activity={COGNITIVE: (None, 45)})  # no walking: 0
    add_day(app, patient, days[4], activity={COGNITIVE: (None, 45), PHYSICAL: (20, None)})
    add_day(app, patient, days[5], activity={PHYSICAL: (20, None)})  # planned only: missing
    add_day(app, patient, days[6], mood=4)  # no pacing at all: missing
    progress = goal_progress(patient, _walking(patient), TODAY)
    assert (progress.recorded_days, progress.qualifying_days) == (4, 3)
    assert progress.status == Status.ON_TRACK  # 3 of 4 recorded days at the 5-of-7 rate
