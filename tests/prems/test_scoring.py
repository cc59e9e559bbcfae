"""PREM scoring as published: CollaboRATE top score and mean, CARE Measure totals, aggregation
with small-group suppression, quarters."""

from __future__ import annotations

from datetime import date

import pytest

from app.prems.scoring import (
    MIN_GROUP,
    CollaborateScore,
    aggregate,
    care_total,
    collaborate_score,
    quarter_of,
)


def test_collaborate_top_score_only_when_every_item_is_at_the_maximum():
    assert collaborate_score({"1": 4, "2": 4, "3": 4}) == CollaborateScore(top=True, mean=4.0)
    assert collaborate_score({"1": 4, "2": 4, "3": 3}) == CollaborateScore(top=False, mean=11 / 3)
    assert collaborate_score({"1": 0, "2": 0, "3": 0}) == CollaborateScore(top=False, mean=0.0)


@pytest.mark.parametrize(
    "answers",
    [{"1": 4, "2": None, "3": 4}, {"1": 4, "3": 4}, {}, {"1": None, "2": None, "3": None}],
)
def test_collaborate_any_missing_item_excludes_the_response(answers):
    assert collaborate_score(answers) is None


@pytest.mark.parametrize("bad", [5, -1, True, "4", 3.5])
def test_collaborate_refuses_values_outside_the_scale(bad):
    with pytest.raises(ValueError, match="outside"):
        collaborate_score({"1": 4, "2": bad, "3": 4})


def test_care_total_sums_ten_items_from_10_to_50():
    assert care_total([1] * 10) == 10
    assert care_total([5] * 10) == 50
    assert care_total([1, 2, 3, 4, 5, 5, 4, 3, 2, 1]) == 30


def test_care_up_to_two_missing_are_replaced_by_the_mean_of_the_rest():
    assert care_total([4] * 9 + [None]) == 40
    answers = [5, 5, 5, 5, 5, 4, 4, 4, None, None]  # mean of eight = 37/8
    assert care_total(answers) == pytest.approx(37 + 2 * 37 / 8)


def test_care_more_than_two_missing_has_no_score():
    assert care_total([5] * 7 + [None] * 3) is None
    assert care_total([None] * 10) is None


@pytest.mark.parametrize("bad", [[0] + [3] * 9, [6] + [3] * 9, [3] * 9, [3] * 11])
def test_care_refuses_out_of_range_answers_and_wrong_lengths(bad):
    with pytest.raises(ValueError, match=r"outside|items"):
        care_total(bad)


def test_quarters():
    assert quarter_of(date(2026, 1, 1)) == "2026-Q1"
    assert quarter_of(date(2026, 3, 31)) == "2026-Q1"
    assert quarter_of(date(2026, 4, 1)) == "2026-Q2"
    assert quarter_of(date(2026, 12, 31)) == "2026-Q4"


def test_aggregate_suppresses_groups_below_the_threshold_without_any_number():
    top = CollaborateScore(top=True, mean=4.0)
    low = CollaborateScore(top=False, mean=2.0)
    pairs = [(("a",), top)] * 20 + [(("a",), low)] * 5 + [(("b",), top)] * 24
    pairs += [(("b",), None)] * 10  # unscored responses never count towards the threshold
    big, small = aggregate(pairs)
    assert big.key == ("a",) and not big.suppressed and big.n == MIN_GROUP == 25
    assert big.top_share == pytest.approx(0.8) and big.mean == pytest.approx(3.6)
    assert small.key == ("b",) and small.suppressed
    assert small.n is None and small.top_share is None and small.mean is None


def test_aggregate_with_a_custom_threshold_and_no_rows():
    assert aggregate([]) == []
    (only,) = aggregate([(("x",), CollaborateScore(top=False, mean=1.0))], min_group=1)
    assert only.n == 1 and only.top_share == 0
