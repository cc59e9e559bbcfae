"""The one wording of a score and its change: every case, in English and translated."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.instruments import loader, wording


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield loader.registry()


@pytest.mark.parametrize(
    ("current", "reference", "expected"),
    [
        (14, 10, wording.Movement(4, 0, None)),  # same band (moderate), under the 5 points
        (14, 8, wording.Movement(6, 1, "worse")),  # mild -> moderate
        (21, 8, wording.Movement(13, 3, "worse")),  # mild -> severe: three bands up
        (8, 14, wording.Movement(-6, -1, "better")),
        (13, 13, wording.Movement(0, 0, None)),
        (10, 9, wording.Movement(1, 1, "worse")),  # +1 into a higher band is flagged
    ],
)
def test_movement_phq9(ctx, current, reference, expected):
    assert wording.movement(ctx["phq9"], current, reference) == expected


def test_threshold_within_a_band_is_named_without_a_band_move(ctx):
    gad7 = ctx["gad7"]
    assert wording.movement(gad7, 9, 5) == wording.Movement(4, 0, "worse")  # mild, +4
    assert wording.change_text(gad7, 9, 5, since="previous") == (
        "+4 since the previous score; worse by at least the instrument's change threshold"
    )
    assert wording.change_text(gad7, 5, 9, since="previous") == (
        "\u22124 since the previous score; better by at least the instrument's change threshold"
    )


@pytest.mark.parametrize(
    ("current", "reference", "since", "first", "text"),
    [
        (14, 10, "last_visit", False, "PHQ-9 14, Moderate; +4 since the last visit"),
        (
            14,
            8,
            "last_visit",
            False,
            "PHQ-9 14, Moderate; +6 since the last visit; moved up a band",
        ),
        (
            21,
            8,
            "previous",
            False,
            "PHQ-9 21, Severe; +13 since the previous score; moved up 3 bands",
        ),
        (
            8,
            14,
            "baseline",
            False,
            "PHQ-9 8, Mild; \u22126 since the first score; moved down a band",
        ),
        (
            3,
            21,
            "baseline",
            False,
            "PHQ-9 3, Minimal; \u221218 since the first score; moved down 4 bands",
        ),
        (13, 13, "last_visit", False, "PHQ-9 13, Moderate; no change since the last visit"),
        (13, 13, "previous", False, "PHQ-9 13, Moderate; no change since the previous score"),
        (13, 13, "baseline", False, "PHQ-9 13, Moderate; no change since the first score"),
        (13, None, "previous", True, "PHQ-9 13, Moderate; first score"),
        (13, None, "last_visit", False, "PHQ-9 13, Moderate; no earlier score to compare"),
    ],
)
def test_every_case_in_english(ctx, current, reference, since, first, text):
    assert (
        wording.score_change_text(ctx["phq9"], current, reference, since=since, first=first) == text
    )


def test_the_direction_never_contradicts_the_number(ctx):
    """The caseload once showed "14 (-1) worse": the sign and the words come from one change."""
    phq9 = ctx["phq9"]
    for reference in range(28):
        for current in range(28):
            text = wording.change_text(phq9, current, reference, since="previous")
            if current < reference:
                assert "\u2212" in text and "up" not in text and "worse" not in text
            elif current > reference:
                assert "+" in text and "down" not in text and "better" not in text
            else:
                assert text == "no change since the previous score"


def test_no_threshold_instrument_names_only_the_band(ctx):
    phq15 = ctx["phq15"]  # flag=false: raw change, never "worse by the threshold"
    assert wording.change_text(phq15, 9, 3, since="previous") == (
        "+6 since the previous score; moved up a band"
    )
    assert wording.change_text(phq15, 8, 5, since="previous") == "+3 since the previous score"


def test_unnamed_and_incomplete(ctx):
    assert wording.score_text(ctx["gad7"], 12, named=False) == "12, Moderate"
    assert wording.score_text(ctx["pain_nrs"], 6) == "Pain NRS 6"
    assert wording.incomplete_text(1) == "incomplete: 1 item not answered, no total"
    assert wording.incomplete_text(2) == "incomplete: 2 items not answered, no total"
    assert wording.missing_items(ctx["phq9"], {"1": 2, "2": 1}, menstruates=None) == 7
    assert wording.signed(0) == "0"


@pytest.mark.parametrize("locale", ["es", "fr", "de", "pt", "ar"])
def test_translated_with_named_placeholders(ctx, locale):
    with force_locale(locale):
        text = wording.score_change_text(ctx["phq9"], 14, 8, since="last_visit")
        first = wording.score_change_text(ctx["phq9"], 14, None, since="previous", first=True)
        missing = wording.incomplete_text(3)
    assert "PHQ-9" in text and "14" in text and "+6" in text
    assert "since the last visit" not in text and "moved up" not in text
    assert "first score" not in first
    assert "3" in missing and "not answered" not in missing
