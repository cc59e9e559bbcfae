"""Pure diary rules on constructed series with known answers."""

from __future__ import annotations

from datetime import date, timedelta

from app.alerts.diary_rules import silent_since, sustained_rise

TODAY = date(2026, 11, 21)


def _series(values_by_offset: dict[int, float]) -> dict[date, float]:
    return {TODAY - timedelta(days=offset): value for offset, value in values_by_offset.items()}


def test_three_recorded_days_two_points_above_the_usual_median():
    usual = dict.fromkeys(range(3, 17), 3.0)
    rise = sustained_rise(
        _series({**usual, 0: 5, 1: 6, 2: 5}), symptom="pain", today=TODAY, points=2
    )
    assert rise is not None
    assert rise.baseline == 3
    assert rise.ends_on == TODAY


def test_a_gap_breaks_the_run_and_is_never_read_as_zero():
    usual = dict.fromkeys(range(3, 17), 3.0)
    assert (
        sustained_rise(_series({**usual, 0: 6, 2: 6}), symptom="pain", today=TODAY, points=2)
        is None
    )


def test_one_point_short_or_too_little_history_is_no_alert():
    usual = dict.fromkeys(range(3, 17), 3.0)
    assert (
        sustained_rise(_series({**usual, 0: 5, 1: 4, 2: 5}), symptom="pain", today=TODAY, points=2)
        is None
    )
    short = {3: 3.0, 4: 3.0, 5: 3.0}
    assert (
        sustained_rise(_series({**short, 0: 8, 1: 8, 2: 8}), symptom="pain", today=TODAY, points=2)
        is None
    )


def test_a_run_ending_yesterday_counts_when_today_is_not_filled_yet():
    usual = dict.fromkeys(range(4, 18), 2.0)
    rise = sustained_rise(
        _series({**usual, 1: 5, 2: 5, 3: 4}), symptom="pain", today=TODAY, points=2
    )
    assert rise is not None
    assert rise.ends_on == TODAY - timedelta(days=1)


def test_silent_diary_after_n_days():
    assert (
        silent_since(TODAY - timedelta(days=5), enrolled_on=date(2026, 1, 1), today=TODAY, days=5)
        is None
    )
    assert silent_since(
        TODAY - timedelta(days=6), enrolled_on=date(2026, 1, 1), today=TODAY, days=5
    ) == TODAY - timedelta(days=5)
    assert silent_since(None, enrolled_on=TODAY - timedelta(days=2), today=TODAY, days=5) is None
    assert silent_since(
        None, enrolled_on=TODAY - timedelta(days=9), today=TODAY, days=5
    ) == TODAY - timedelta(days=9)
