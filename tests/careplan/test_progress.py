"""Progress functions on constructed data with known answers: boundaries, gaps, too little data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.careplan.progress import (
    Status,
    at_most_on_most_days,
    days_at_least_per_week,
    in_window,
    instrument_total_below,
)

END = date(2026, 11, 21)
WEEK_START = END - timedelta(days=6)
FORTNIGHT_START = END - timedelta(days=13)


def series(values: list[float | None], *, end: date = END) -> list[tuple[date, float | None]]:
    """Consecutive days ending on `end`, oldest first."""
    start = end - timedelta(days=len(values) - 1)
    return [(start + timedelta(days=i), v) for i, v in enumerate(values)]


def sleep(values):
    return days_at_least_per_week(
        series(values), start=WEEK_START, end=END, minimum=7, days_per_week=5
    )


# --- days_at_least_per_week: "sleep at least 7 h on 5 nights a week" -------------------------


def test_exactly_five_qualifying_nights_is_met():
    result = sleep([7, 7, 7.5, 8, 7, 6, 5])
    assert result.status == Status.MET
    assert (result.qualifying_days, result.needed_days, result.recorded_days) == (5, 5, 7)


def test_the_minimum_itself_qualifies_and_just_below_does_not():
    assert sleep([7, 7, 7, 7, 7, 6.99, 6.99]).status == Status.MET
    assert sleep([7, 7, 7, 7, 6.99, 6.99, 6.99]).status == Status.NOT_YET


def test_four_of_seven_recorded_nights_is_not_yet():
    result = sleep([7, 7, 7, 7, 6, 6, 6])
    assert result.status == Status.NOT_YET
    assert result.qualifying_days == 4


def test_missing_days_are_missing_not_zero():
    # 4 of 5 recorded nights qualify (80 % >= 5/7): on track, not failed by the two gaps.
    result = sleep([7, None, 8, 7, None, 7.5, 5])
    assert result.status == Status.ON_TRACK
    assert result.recorded_days == 5
    assert result.window_days == 7


def test_gaps_do_not_count_as_success_either():
    # 3 of 4 recorded nights qualify (75 % >= 71 %) but only 3 nights reached: on track, not met.
    assert sleep([7, None, 8, None, 7, None, 5]).status == Status.ON_TRACK
    # 2 of 4: below the target rate.
    assert sleep([7, None, 8, None, 6, None, 5]).status == Status.NOT_YET


def test_fewer_than_half_the_days_recorded_is_not_enough_data():
    assert sleep([7, None, None, 8, None, None, 7]).status == Status.NOT_ENOUGH_DATA
    assert sleep([None] * 7).status == Status.NOT_ENOUGH_DATA
    assert sleep([]).status == Status.NOT_ENOUGH_DATA


def test_enough_qualifying_days_are_met_even_with_gaps():
    assert sleep([7, 7, None, 7, 7, None, 7]).status == Status.MET


def test_days_outside_the_window_are_ignored():
    before = [(WEEK_START - timedelta(days=1), 9.0), (END + timedelta(days=1), 9.0)]
    result = days_at_least_per_week(
        before + series([7, 7, 7, 7, 6, 6, 6]),
        start=WEEK_START,
        end=END,
        minimum=7,
        days_per_week=5,
    )
    assert result.qualifying_days == 4
    assert result.status == Status.NOT_YET


def test_weekly_target_scales_with_a_longer_window():
    result = days_at_least_per_week(
        series([20] * 10 + [None] * 4), start=FORTNIGHT_START, end=END, minimum=20, days_per_week=5
    )
    assert result.needed_days == 10
    assert result.status == Status.MET


def test_activity_minutes_walk_twenty_minutes_five_days():
    result = days_at_least_per_week(
        series([0, 20, 25, 19, 30, 40, None]),
        start=WEEK_START,
        end=END,
        minimum=20,
        days_per_week=5,
    )
    # A recorded 0 is a real zero (no walk), unlike the missing last day.
    assert (result.qualifying_days, result.recorded_days) == (4, 6)
    assert result.status == Status.NOT_YET


def test_a_window_ending_before_it_starts_is_an_error():
    with pytest.raises(ValueError, match="before it starts"):
        days_at_least_per_week([], start=END, end=WEEK_START, minimum=7, days_per_week=5)


# --- at_most_on_most_days: "pain at most 4 on most days" --------------------------------------


def pain(values):
    return at_most_on_most_days(series(values), start=FORTNIGHT_START, end=END, maximum=4)


def test_more_than_half_of_recorded_days_at_most_the_maximum_is_met():
    result = pain([4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5])
    assert result.status == Status.MET
    assert (result.qualifying_days, result.recorded_days) == (8, 14)


def test_exactly_half_is_not_most_days():
    assert pain([4] * 7 + [6] * 7).status == Status.NOT_YET


def test_a_good_last_week_after_a_bad_one_is_on_track():
    result = pain([7] * 7 + [3, 3, 3, 3, 6, 6, 6])
    assert (result.qualifying_days, result.recorded_days) == (4, 14)
    assert result.status == Status.ON_TRACK


def test_most_days_counts_recorded_days_only():
    # 5 of 8 recorded days are at most 4; six missing days are neither good nor bad.
    assert pain([3, None, 3, None, 6, None, 3, None, 6, None, 3, 6, None, 3]).status == Status.MET


def test_symptom_needs_half_the_window_recorded():
    assert pain([3, 3, 3, 3, 3, 3] + [None] * 8).status == Status.NOT_ENOUGH_DATA
    assert pain([3, 3, 3, 3, 3, 3, 3] + [None] * 7).status == Status.MET


# --- instrument_total_below: "PHQ-9 below 10" -------------------------------------------------


def phq9(points):
    return instrument_total_below(points, start=END - timedelta(days=27), end=END, threshold=10)


def test_latest_total_below_threshold_is_met():
    result = phq9([(END - timedelta(days=20), 14), (END - timedelta(days=6), 9)])
    assert result.status == Status.MET
    assert (result.latest, result.first, result.latest_on) == (9, 14, END - timedelta(days=6))


def test_total_equal_to_threshold_is_not_below():
    assert phq9([(END, 10)]).status == Status.NOT_YET


def test_falling_but_not_yet_below_is_on_track():
    assert phq9([(END - timedelta(days=14), 16), (END, 12)]).status == Status.ON_TRACK


def test_rising_total_is_not_yet():
    assert phq9([(END - timedelta(days=14), 11), (END, 12)]).status == Status.NOT_YET


def test_latest_is_by_date_not_list_order():
    result = phq9([(END, 8), (END - timedelta(days=14), 15)])
    assert (result.latest, result.status) == (8, Status.MET)


def test_no_total_in_the_window_is_not_enough_data():
    assert phq9([]).status == Status.NOT_ENOUGH_DATA
    assert phq9([(END - timedelta(days=28), 5), (END, None)]).status == Status.NOT_ENOUGH_DATA


# --- shared rules ---------------------------------------------------------------------------


def test_in_window_keeps_the_last_value_per_day_and_drops_none_and_nan():
    values = in_window(
        [
            (END, 3.0),
            (END, 5.0),
            (WEEK_START, None),
            (WEEK_START + timedelta(days=1), float("nan")),
        ],
        WEEK_START,
        END,
    )
    assert values == {END: 5.0}


def test_a_later_none_for_the_same_day_clears_it():
    assert in_window([(END, 3.0), (END, None)], WEEK_START, END) == {}
