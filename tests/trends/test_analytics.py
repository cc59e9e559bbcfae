"""Pure trend analytics on constructed data with known answers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from app.instruments import loader
from app.trends import analytics, pathway
from app.trends.analytics import Flag, ScorePoint

D0 = date(2026, 1, 1)
T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def test_adherence_counts_days_in_window_only():
    recorded = [day(0), day(1), day(3), day(20)]
    window = {"enrolled_on": day(-30), "today": day(30)}
    result = analytics.adherence(recorded, start=day(0), end=day(13), **window)
    assert (result.recorded, result.total, result.percent) == (3, 14, 21)
    assert result.low
    week = [day(n) for n in range(7)]
    assert not analytics.adherence(week, start=day(0), end=day(13), **window).low
    assert analytics.adherence([], start=day(5), end=day(1), **window).ratio is None


def test_adherence_counts_only_days_since_enrollment():
    """Defect 12: a patient enrolled today is not flagged; three days, three entries is fine."""
    today = day(20)
    last_14 = {"start": today - timedelta(days=13), "end": today, "today": today}
    enrolled_today = analytics.adherence([], enrolled_on=today, **last_14)
    assert (enrolled_today.recorded, enrolled_today.total) == (0, 0)
    assert not enrolled_today.low
    three_days = [today - timedelta(days=n) for n in (1, 2, 3)]
    result = analytics.adherence(three_days, enrolled_on=today - timedelta(days=3), **last_14)
    assert (result.recorded, result.total, result.percent) == (3, 3, 100)
    assert not result.low
    # today counts once it has an entry; a silent week after enrollment is still low
    with_today = analytics.adherence([today], enrolled_on=today, **last_14)
    assert (with_today.recorded, with_today.total) == (1, 1)
    silent = analytics.adherence([], enrolled_on=today - timedelta(days=7), **last_14)
    assert (silent.total, silent.low) == (7, True)


def test_score_change_against_last_visit_and_baseline(app):
    with app.app_context():
        definition = loader.registry()["phq9"]
    points = [
        ScorePoint(T0, 8),
        ScorePoint(T0 + timedelta(days=14), None),  # incomplete: no total, skipped
        ScorePoint(T0 + timedelta(days=28), 10),
        ScorePoint(T0 + timedelta(days=42), 16),
    ]
    change = analytics.score_change(definition, points, last_visit=T0 + timedelta(days=30))
    assert change.latest.total == 16 and change.baseline.total == 8
    assert change.at_last_visit.total == 10
    assert change.vs_last_visit.delta == 6 and change.vs_last_visit.flag == "worse"
    assert change.vs_baseline.delta == 8 and change.vs_baseline.flag == "worse"
    assert change.worse


def test_score_change_below_threshold_is_not_flagged(app):
    with app.app_context():
        definition = loader.registry()["phq9"]
    points = [ScorePoint(T0, 11), ScorePoint(T0 + timedelta(days=14), 13)]
    change = analytics.score_change(definition, points, last_visit=None)
    assert change.at_last_visit is None and change.vs_last_visit is None
    assert change.vs_baseline.delta == 2 and change.vs_baseline.flag is None
    assert not change.worse
    assert analytics.score_change(definition, [], last_visit=None).latest is None


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(day(0), 16), (day(60), 12)], True),  # 8+ weeks, 25 % down: not improved
        ([(day(0), 16), (day(60), 8)], False),  # 50 % down: response
        ([(day(0), 16), (day(60), 4)], False),  # remission
        ([(day(0), 16), (day(40), 15)], None),  # under 8 weeks
        ([(day(0), 3), (day(70), 3)], None),  # baseline already below 5
        ([(day(0), 16)], None),  # nothing since week 8
    ],
)
def test_not_improving(points, expected):
    assert analytics.not_improving(points, today=day(70)) is expected


def test_sustained_rise_needs_three_consecutive_days_above_median():
    base = {day(n): 3.0 for n in range(14)}
    today = day(20)
    rise = {**base, day(16): 5.0, day(17): 6.0, day(18): 5.0}
    assert analytics.sustained_rise(rise, today=today) == day(18)
    gap = {**base, day(16): 5.0, day(18): 6.0, day(19): 5.0}  # day 17 missing breaks the run
    assert analytics.sustained_rise(gap, today=today) is None
    small = {**base, day(16): 4.0, day(17): 4.0, day(18): 4.0}  # only +1
    assert analytics.sustained_rise(small, today=today) is None
    assert analytics.sustained_rise({day(18): 9.0}, today=today) is None  # no baseline


def test_boom_bust_detects_busy_day_then_flare_within_48h():
    activity = {day(n): 60 for n in range(20)}
    levels = {day(n): 3.0 for n in range(20)}
    activity[day(5)] = 200  # boom, flare 2 days later
    levels[day(7)] = 7.0
    activity[day(12)] = 200  # boom, flare 3 days later: outside 48 h
    levels[day(15)] = 8.0
    activity[day(16)], activity[day(17)] = 180, 200  # two busy days sharing one flare
    levels[day(18)] = 6.0
    episodes = analytics.boom_bust(activity, levels)
    assert [(e.boom_start, e.boom_end, e.flare_on) for e in episodes] == [
        (day(5), day(5), day(7)),
        (day(16), day(17), day(18)),
    ]
    assert episodes[0].usual_minutes == 60 and episodes[1].minutes == 200


def test_boom_bust_needs_enough_days():
    assert analytics.boom_bust({day(0): 300}, {day(1): 9.0}) == []


def test_urgency_orders_by_most_urgent_flag():
    rows = [
        [Flag.NO_DATA_SINCE_VISIT],
        [],
        [Flag.LOW_ADHERENCE, Flag.OPEN_ALERT],
        [Flag.OPEN_ALERT],
    ]
    ordered = sorted(rows, key=analytics.urgency)
    assert ordered == [
        [Flag.LOW_ADHERENCE, Flag.OPEN_ALERT],
        [Flag.OPEN_ALERT],
        [Flag.NO_DATA_SINCE_VISIT],
        [],
    ]


def test_no_data_since_visit():
    visit = T0
    assert analytics.no_data_since(
        visit, last_entry_day=None, last_response_at=None, reference_day=D0
    )
    assert not analytics.no_data_since(
        visit, last_entry_day=D0, last_response_at=None, reference_day=D0
    )
    assert not analytics.no_data_since(
        None, last_entry_day=None, last_response_at=None, reference_day=None
    )


# --- pathway metrics ---------------------------------------------------------------------

A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
START, END = T0, T0 + timedelta(days=90)


def facts(pid, enrolled_days, plan_days=None):
    at = T0 + timedelta(days=enrolled_days)
    plan = None if plan_days is None else T0 + timedelta(days=plan_days)
    return pathway.PatientFacts(pid, at, at.date(), plan)


def test_care_plan_share():
    patients = [facts(A, 0, 5), facts(B, 10), facts(C, 100, 101)]  # C enrolled after the end
    assert pathway.care_plan_share(patients, end=END) == pathway.Rate(1, 2)


def test_first_followup_within_4_weeks():
    patients = [facts(A, 0), facts(B, 10), facts(C, 80)]  # C's 4 weeks end after the period
    visits = [
        pathway.Visit(A, T0 + timedelta(days=20), "done"),
        pathway.Visit(B, T0 + timedelta(days=45), "done"),  # too late
        pathway.Visit(B, T0 + timedelta(days=15), "missed"),  # not a follow-up that took place
    ]
    rate = pathway.first_followup_within_4_weeks(patients, visits, start=START, end=END)
    assert (rate.numerator, rate.denominator, rate.percent) == (1, 2, 50)


def test_followup_completion_leaves_out_cancelled_and_counts_unrecorded():
    now = T0 + timedelta(days=50)
    visits = [
        pathway.Visit(A, T0 + timedelta(days=1), "done"),
        pathway.Visit(A, T0 + timedelta(days=2), "done"),
        pathway.Visit(B, T0 + timedelta(days=3), "missed"),
        pathway.Visit(B, T0 + timedelta(days=4), "cancelled"),
        pathway.Visit(C, T0 + timedelta(days=5), "planned"),
        pathway.Visit(C, T0 + timedelta(days=60), "planned"),  # still ahead
    ]
    result = pathway.followup_completion(visits, start=START, end=END, now=now)
    assert result.rate == pathway.Rate(2, 3) and result.not_recorded == 1


def test_questionnaire_completion_and_diary_adherence():
    assert pathway.questionnaire_completion([True, True, False, True]).percent == 75
    patients = [facts(A, -30), facts(B, 5)]
    recorded = {A: {day(n) for n in range(10)}, B: {day(n) for n in range(5, 10)}}
    rate = pathway.diary_adherence(patients, recorded, start=D0, end=day(9), today=day(12))
    # A: 10 possible days (all recorded); B enrolled on day 5: 5 possible days (all recorded)
    assert rate == pathway.Rate(15, 15)
    # the same rule as the caseload: today counts once recorded
    today = pathway.diary_adherence(patients, recorded, start=D0, end=day(10), today=day(10))
    assert today == pathway.Rate(15, 15)
    assert pathway.diary_adherence([], {}, start=D0, end=day(9), today=day(9)).percent is None


def test_sms_rate_and_median_time_to_acknowledge():
    assert pathway.sms_response_rate(10, 7).percent == 70
    assert not pathway.sms_response_rate(0, 0).available
    alerts = [
        (T0 + timedelta(days=1), T0 + timedelta(days=1, hours=1)),
        (T0 + timedelta(days=2), T0 + timedelta(days=2, hours=3)),
        (T0 + timedelta(days=3), T0 + timedelta(days=3, hours=2)),
        (T0 + timedelta(days=4), None),
        (T0 - timedelta(days=4), T0),  # before the period
    ]
    median, acknowledged, still_open = pathway.time_to_acknowledge(alerts, start=START, end=END)
    assert (median, acknowledged, still_open) == (timedelta(hours=2), 3, 1)
    assert pathway.median_duration([]) is None
