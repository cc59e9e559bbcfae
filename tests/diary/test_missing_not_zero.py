"""Missing is never zero in "My patterns": a day without recorded activity is left out of the
activity median that decides what counts as a high-activity day (it is not a 0-minute day).

Each test is built so that counting the missing days as zeros gives a different page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine

from app.diary.insights import DayFacts, find_patterns
from app.diary.models import ActivityKind
from tests.diary.days import add_day

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
PHYSICAL, COGNITIVE = ActivityKind.PHYSICAL, ActivityKind.COGNITIVE


def _days(n: int, start: date, step: int = 1) -> list[date]:
    return [start + timedelta(days=k * step) for k in range(n)]


@time_machine.travel(NOW, tick=False)
def test_patterns_activity_median_leaves_out_days_without_activity(app, make, client, auth):
    """7 days of 60 active minutes and 3 of 100 (symptoms 8 on those) give a median of 60, so
    "high activity" is above 90: 3 days with, 7 without. Ten more diary days say nothing about
    activity done (5 only planned it, 5 have no pacing at all). Counted as 0 minutes they would
    pull the median to 30: 10 days "with" and 10 "without"."""
    patient = make.patient(timezone="UTC")
    start = TODAY - timedelta(days=40)
    busy = _days(3, start, step=4)  # every 4th day: the day after each is an ordinary day
    ordinary = [d for d in _days(20, start) if d not in busy][:17]
    for day in busy:
        add_day(app, patient, day, overall_symptoms=8, activity={PHYSICAL: (None, 100)})
    for n, day in enumerate(ordinary):
        if n < 7:  # 60 minutes of known activity, spread over two kinds
            activity = {PHYSICAL: (30, 30), COGNITIVE: (None, 30)}
        elif n < 12:  # planned only: nothing known about what was done
            activity = {PHYSICAL: (60, None)}
        else:  # no pacing answered that day
            activity = None
        add_day(app, patient, day, overall_symptoms=2, activity=activity)

    auth.login(patient.user.email)
    html = client.get(f"/patients/{patient.id}/diary/patterns").get_data(as_text=True)
    assert "Based on 3 days with and 7 days without." in html
    assert "was on average 6 points higher than after days without it." in html
    assert "Based on 10 days with and 10 days without." not in html


def test_the_activity_median_needs_seven_days_with_activity_recorded():
    """6 days with activity and 14 without: too few to know the patient's usual activity, so no
    high-activity factor (the 14 unknown days do not count toward the 7 needed)."""
    start = date(2026, 10, 1)
    days = {}
    for n, day in enumerate(_days(20, start)):
        minutes = (100 if n == 0 else 60) if n < 6 else None
        days[day] = DayFacts(activity_minutes=minutes, outcomes={"overall": 8 if minutes else 2})
    report = find_patterns(days)
    kinds = {a.factor.kind for a in report.associations} | {
        n.factor.kind for n in report.needs_data
    }
    assert "high_activity" not in kinds
