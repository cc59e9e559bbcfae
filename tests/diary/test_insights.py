"""The pure associations function on constructed data with known answers."""

from __future__ import annotations

from datetime import date, timedelta

from app.diary.insights import (
    MIN_DAYS,
    DayFacts,
    Factor,
    find_patterns,
)

START = date(2026, 1, 1)


def _days(n: int, make) -> dict[date, DayFacts]:
    return {START + timedelta(days=i): make(i) for i in range(n)}


def test_short_sleep_goes_with_higher_pain_the_same_day():
    # Every third night is short; pain is 6 after those nights and 4 otherwise.
    days = _days(
        30,
        lambda i: DayFacts(
            sleep_minutes=300 if i % 3 == 0 else 480,
            outcomes={"pain": 6.0 if i % 3 == 0 else 4.0},
        ),
    )
    report = find_patterns(days)
    top = report.associations[0]
    assert top.factor == Factor("short_sleep")
    assert top.outcome == "pain" and top.lag == 0
    assert top.difference == 2.0
    assert (top.days_with, top.days_without) == (10, 20)
    assert report.more_days_recommended == 0


def test_activity_burst_goes_with_a_flare_two_days_later():
    def make(i: int) -> DayFacts:
        burst = i % 7 == 0
        flare = i >= 2 and (i - 2) % 7 == 0
        return DayFacts(
            activity_minutes=240 if burst else 60, outcomes={"fatigue": 8.0 if flare else 3.0}
        )

    report = find_patterns(_days(42, make))
    found = [a for a in report.associations if a.factor == Factor("high_activity")]
    assert len(found) == 1
    assert found[0].lag == 2
    assert found[0].difference == 5.0


def test_trigger_with_headache_and_unknown_days_are_not_counted_as_absent():
    def make(i: int) -> DayFacts:
        if i >= 20:  # quick entries: triggers not asked, so unknown
            return DayFacts(triggers=None, outcomes={"headache": 9.0})
        stressed = i % 3 == 0
        return DayFacts(
            triggers=frozenset({"work_stress"}) if stressed else frozenset(),
            outcomes={"headache": 7.0 if stressed else 2.0},
        )

    report = find_patterns(_days(24, make))
    found = next(a for a in report.associations if a.factor == Factor("trigger", "work_stress"))
    assert found.lag == 0
    assert (found.days_with, found.days_without) == (7, 13)
    assert found.difference == 5.0


def test_not_enough_days_says_how_many_more_are_needed():
    days = _days(
        10,
        lambda i: DayFacts(
            sleep_minutes=300 if i < 2 else 480,
            triggers=frozenset({"travel"}) if i == 0 else frozenset(),
            outcomes={"pain": 5.0},
        ),
    )
    report = find_patterns(days)
    assert report.associations == []
    needs = {n.factor: n for n in report.needs_data}
    assert needs[Factor("short_sleep")].more_with == MIN_DAYS - 2
    assert needs[Factor("short_sleep")].more_without == 0
    assert needs[Factor("trigger", "travel")].more_with == 2
    assert report.more_days_recommended == 20


def test_small_differences_and_missing_outcomes_are_not_reported():
    days = _days(
        30,
        lambda i: DayFacts(
            sleep_minutes=300 if i % 2 else 480,
            outcomes=None if i % 5 == 0 else {"pain": 5.5 if i % 2 else 5.0},
        ),
    )
    assert find_patterns(days).associations == []


def test_empty_diary():
    report = find_patterns({})
    assert report.associations == [] and report.needs_data == []
    assert report.days_recorded == 0
