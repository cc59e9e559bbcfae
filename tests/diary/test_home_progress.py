"""The patient's home: the last seven days as dots, a weekly trend with gaps (missing data is
never zero), one finding of "My patterns", a kind empty state, and a fixed query budget."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import select

from app.db import db
from app.diary.models import DiaryEntry
from app.diary.progress import MIN_DAYS_PER_WEEK, week_dots, weekly_averages
from tests.conftest import Auth
from tests.diary.conftest import bulk_history
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)
# Every statement the patient's home sends, whatever the history (12 when written: the session,
# the patient, every home section's reads; the diary's progress is 4 of them: the entries of
# the patterns window with their ratings and activities, and the tracked symptoms; the
# consent review card's reads make it 15; the referrals, case-review, lessons and experience
# survey cards add one read each, 19).
HOME_BUDGET = 19


def test_weekly_averages_use_recorded_days_only_and_leave_thin_weeks_out():
    levels: dict[date, int | None] = {TODAY - timedelta(days=n): 4 for n in range(4)}
    levels[TODAY - timedelta(days=4)] = None  # an entry without a rating is not a 0
    for n in range(7, 10):  # three days in the week before: too few for an average
        levels[TODAY - timedelta(days=n)] = 8
    for n in range(14, 18):  # four days two weeks ago, one of them a real 0
        levels[TODAY - timedelta(days=n)] = 0 if n == 14 else 6
    averages = weekly_averages(levels, TODAY)
    assert len(averages) == 8 and MIN_DAYS_PER_WEEK == 4
    assert averages[-1] == 4.0
    assert averages[-2] is None
    assert averages[-3] == 4.5
    assert averages[:-3] == [None] * 5


def test_week_dots_are_the_last_seven_days_recorded_or_not():
    dots = week_dots({TODAY, TODAY - timedelta(days=3)}, TODAY)
    assert [d.day for d in dots] == [TODAY - timedelta(days=n) for n in range(6, -1, -1)]
    assert [d.recorded for d in dots] == [False, False, False, True, False, False, True]
    assert [d.is_today for d in dots] == [False] * 6 + [True]


def _home(app, patient) -> str:
    client = app.test_client()
    Auth(client).login(patient.user.email, PASSWORD)
    return client.get("/").get_data(as_text=True)


@time_machine.travel(NOW, tick=False)
def test_a_new_patient_gets_a_kind_empty_state(app, make):
    html = _home(app, make.patient())
    assert 'id="progress-heading"' in html and "Nothing to show here yet" in html
    assert "week-dots" not in html and "home-trend" not in html
    assert "missed" not in html.lower()
    # The quick entry comes first on the page.
    assert html.index('id="diary-heading"') < html.index('id="progress-heading"')


@time_machine.travel(NOW, tick=False)
def test_dots_trend_and_insight_from_the_diary(app, make):
    patient = make.patient()
    bulk_history(app, patient, days=60, end=TODAY, skip_end=True)  # every day but today
    with app.app_context():  # heavier days with the work-stress trigger: a clear finding
        for entry in db.session.scalars(select(DiaryEntry)):
            entry.overall_symptoms = 8 if entry.triggers else 3
        db.session.commit()
    html = _home(app, patient)
    dots = re.findall(r'<li class="day-dot([^"]*)"', html)
    assert len(dots) == 7
    assert [" recorded" in d for d in dots] == [True] * 6 + [False]
    assert "Fri, Nov 20, 2026: not recorded" in html
    assert "Thu, Nov 19, 2026: recorded" in html
    assert "6 days recorded." in html
    assert "missed" not in html.lower()
    assert 'id="home-trend-t"' in html and "<polyline" in html
    assert "week from Sep 26: " in html
    assert "This week: " in html and "out of 10 on average" in html
    assert "Something your diary shows" in html
    assert "After days with the trigger" in html and "points higher" in html
    assert f'href="/patients/{patient.id}/diary/patterns"' in html


@time_machine.travel(NOW, tick=False)
def test_a_sparse_week_is_a_gap_never_zero(app, make):
    patient = make.patient()
    bulk_history(app, patient, days=2, end=TODAY, skip_end=True)  # two days this week
    html = _home(app, patient)
    assert "2 days recorded." in html
    assert "A week gets an average once it has 4 recorded days." in html
    assert "home-trend" not in html  # no week has an average: no chart of zeros
    assert "Something your diary shows" not in html


@time_machine.travel(NOW, tick=False)
def test_home_query_count_does_not_grow_with_history(app, make, count_queries):
    newcomer, veteran = make.patient(), make.patient()
    bulk_history(app, newcomer, days=3, end=TODAY)
    bulk_history(app, veteran, days=3 * 365, end=TODAY)
    counts = []
    for patient in (newcomer, veteran):
        client = app.test_client()
        Auth(client).login(patient.user.email, PASSWORD)
        with count_queries() as statements:
            assert client.get("/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= HOME_BUDGET, counts


@time_machine.travel(NOW, tick=False)
def test_a_quiet_week_after_earlier_entries_is_said_gently(app, make):
    patient = make.patient()
    bulk_history(app, patient, days=14, end=TODAY - timedelta(days=7), skip_end=False)
    html = _home(app, patient)
    assert html.count("day-dot recorded") == 0 and html.count('class="day-dot') == 7
    assert "No entries in these seven days. Whenever you are ready" in html
    assert "0 days" not in html and "missed" not in html.lower()
    assert "week from Nov 14: no average" in html  # the empty week is a gap, not a 0
    assert "week from Nov 7: no average" not in html  # the week before has an average
