"""Scoring from the published rules: every band boundary, subscales, incomplete, PHQ-15 maximum."""

from __future__ import annotations

import pytest

from app.instruments import scoring
from app.instruments.loader import load_all

DEFS = load_all()


def answers_for(instrument_id: str, total: int, *, menstruates: bool | None = True):
    """Answers (item id -> value) adding up to `total`, filling items in order."""
    definition = DEFS[instrument_id]
    answers, left = {}, total
    for item in scoring.applicable_items(definition, menstruates=menstruates):
        if not item.scored:
            continue
        value = min(left, max(definition.values_for(item)))
        answers[item.id], left = value, left - value
    assert left == 0
    return answers


BOUNDARIES = [
    ("phq9", [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
              (14, "moderate"), (15, "moderately_severe"), (19, "moderately_severe"),
              (20, "severe"), (27, "severe")]),
    ("gad7", [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
              (14, "moderate"), (15, "severe"), (21, "severe")]),
    ("phq15", [(0, "minimal"), (4, "minimal"), (5, "low"), (9, "low"), (10, "medium"),
               (14, "medium"), (15, "high"), (30, "high")]),
    ("phq4", [(0, "normal"), (2, "normal"), (3, "mild"), (5, "mild"), (6, "moderate"),
              (8, "moderate"), (9, "severe"), (12, "severe")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("instrument_id", "total", "band"),
    [(i, total, band) for i, cases in BOUNDARIES for total, band in cases],
)
def test_every_band_boundary(instrument_id, total, band):
    result = scoring.score(DEFS[instrument_id], answers_for(instrument_id, total), menstruates=True)
    assert result.total == total
    assert result.band == band


@pytest.mark.parametrize(
    ("instrument_id", "maximum"),
    [("phq9", 27), ("gad7", 21), ("phq15", 30), ("phq4", 12), ("pain_nrs", 10)],
)
def test_maximum_scores(instrument_id, maximum):
    assert scoring.score(DEFS[instrument_id], {}, menstruates=True).max_total == maximum


def test_phq9_difficulty_item_is_not_scored():
    answers = {**answers_for("phq9", 12), "difficulty": 3}
    assert scoring.score(DEFS["phq9"], answers, menstruates=None).total == 12


def test_pain_nrs_has_no_band():
    result = scoring.score(DEFS["pain_nrs"], {"1": 7}, menstruates=None)
    assert (result.total, result.band) == (7, None)


def test_incomplete_response_has_no_total_but_keeps_subscales():
    answers = answers_for("phq4", 6)
    del answers["4"]
    result = scoring.score(DEFS["phq4"], answers, menstruates=None)
    assert result.total is None and result.band is None and not result.complete
    assert result.answered == 3 and result.applicable == 4
    subs = {s.code: s for s in result.subscales}
    assert subs["gad2"].score == 6 and subs["gad2"].positive is True
    assert subs["phq2"].score is None and subs["phq2"].positive is None


def test_phq9_missing_one_item_has_no_total():
    answers = answers_for("phq9", 20)
    del answers["5"]
    assert scoring.score(DEFS["phq9"], answers, menstruates=None).total is None


@pytest.mark.parametrize(
    ("gad2", "phq2", "gad_positive", "phq_positive"),
    [((1, 1), (1, 0), False, False), ((2, 1), (0, 2), True, False), ((3, 3), (2, 1), True, True)],
)
def test_phq4_subscales_positive_at_three(gad2, phq2, gad_positive, phq_positive):
    answers = {"1": gad2[0], "2": gad2[1], "3": phq2[0], "4": phq2[1]}
    subs = {s.code: s for s in scoring.score(DEFS["phq4"], answers, menstruates=None).subscales}
    assert subs["gad2"].score == sum(gad2) and subs["gad2"].positive is gad_positive
    assert subs["phq2"].score == sum(phq2) and subs["phq2"].positive is phq_positive


def test_phq15_without_menstrual_item_has_maximum_28():
    definition = DEFS["phq15"]
    asked = scoring.applicable_items(definition, menstruates=False)
    assert "4" not in {i.id for i in asked} and len(asked) == 14
    answers = {i.id: 2 for i in asked}
    result = scoring.score(definition, answers, menstruates=False)
    assert (result.total, result.max_total, result.band) == (28, 28, "high")
    # Unknown (None) keeps the item, as printed on the form.
    assert len(scoring.applicable_items(definition, menstruates=None)) == 15
    assert scoring.score(definition, answers, menstruates=None).total is None


def test_check_answers_reports_every_problem():
    values, problems = scoring.check_answers(
        DEFS["phq15"], {"1": "2", "2": "3", "4": "1", "99": "0", "5": "x"}, menstruates=False
    )
    assert values == {"1": 2}
    assert problems == {
        "2": scoring.AnswerProblem.OUT_OF_RANGE,
        "4": scoring.AnswerProblem.NOT_APPLICABLE,
        "99": scoring.AnswerProblem.UNKNOWN_ITEM,
        "5": scoring.AnswerProblem.NOT_A_NUMBER,
    }


def test_critical_answer_is_phq9_item_9_at_one_or_more():
    assert not scoring.critical_answers(DEFS["phq9"], {"9": 0})
    assert [c.item for c in scoring.critical_answers(DEFS["phq9"], {"9": 1})] == ["9"]
    assert scoring.critical_answers(DEFS["phq9"], {"9": 3})


@pytest.mark.parametrize(
    ("instrument_id", "reference", "current", "flag"),
    [
        ("phq9", 10, 14, None),  # +4, same band
        ("phq9", 10, 15, "worse"),  # +5 (Löwe 2004)
        ("phq9", 20, 15, "better"),
        ("phq9", 4, 5, "worse"),  # into a higher band
        ("gad7", 10, 13, None),
        ("gad7", 10, 14, "worse"),  # +4 (Toussaint 2020)
        ("gad7", 14, 10, "better"),
        ("phq15", 2, 20, None),  # no established threshold: never flagged
        ("phq4", 2, 3, "worse"),  # band move only
        ("phq4", 9, 6, None),
        ("pain_nrs", 5, 7, "worse"),  # 2 points
        ("pain_nrs", 3, 4, "worse"),  # 33 %
        ("pain_nrs", 8, 9, None),
        ("pain_nrs", 6, 4, "better"),
    ],
)
def test_change_flags(instrument_id, reference, current, flag):
    result = scoring.change(DEFS[instrument_id], current, reference)
    assert result.delta == current - reference
    assert result.flag == flag


def test_language_choice_never_falls_back_silently():
    phq9 = DEFS["phq9"]
    assert scoring.choose_locale(phq9, preferred="en", readable=[]) == ("en", False)
    # PHQ-9 ships official Spanish (USA) and French (France) texts; German does not exist yet.
    assert scoring.choose_locale(phq9, preferred="es", readable=["en"]) == ("es", False)
    assert scoring.choose_locale(phq9, preferred="de", readable=["fr", "en"]) == ("fr", True)
    assert scoring.choose_locale(phq9, preferred="de", readable=["pt"]) is None
    gad7 = DEFS["gad7"]
    assert scoring.choose_locale(gad7, preferred="es", readable=["fr", "en"]) == ("en", True)
    assert scoring.choose_locale(gad7, preferred="es", readable=["fr"]) is None
