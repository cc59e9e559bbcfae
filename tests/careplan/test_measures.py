"""The measure-kind registry: parameter validation, normalisation, and the data-source registry."""

from __future__ import annotations

from datetime import date

import pytest

from app.careplan import measures, sources
from app.careplan.content import Measure
from app.signals import measure_observations


def test_every_kind_has_a_label_and_linked_kinds_have_a_window(ctx):
    assert set(measures.KINDS) == {
        "instrument_total_below",
        "sleep_hours_nights_per_week",
        "activity_minutes_days_per_week",
        "symptom_at_most_most_days",
        "free_text",
    }
    for kind in measures.KINDS.values():
        assert str(kind.label)
        assert (kind.window_days > 0) == kind.linked


@pytest.mark.parametrize(
    "measure",
    [
        Measure("instrument_total_below", "phq9", target=10),
        Measure("instrument_total_below", "gad7", target=21),
        Measure("instrument_total_below", "phq15", target=1),
        Measure("sleep_hours_nights_per_week", amount=7.5, target=5),
        Measure("activity_minutes_days_per_week", "physical", amount=20, target=7),
        Measure("symptom_at_most_most_days", "pain", target=0),
        Measure("symptom_at_most_most_days", "fatigue", target=10),
        Measure("free_text", text="Back at work two mornings a week"),
    ],
)
def test_valid_measures(ctx, measure):
    assert measures.validate(measure) == {}


@pytest.mark.parametrize(
    ("measure", "field"),
    [
        (Measure("no_such_kind"), "kind"),
        (Measure("instrument_total_below", "isi", target=10), "subject"),
        (Measure("instrument_total_below", "phq9", target=28), "target"),
        (Measure("instrument_total_below", "gad7", target=22), "target"),
        (Measure("instrument_total_below", "phq9", target=0), "target"),
        (Measure("instrument_total_below", "phq9", target=9.5), "target"),
        (Measure("instrument_total_below", "phq9"), "target"),
        (Measure("sleep_hours_nights_per_week", amount=7, target=8), "target"),
        (Measure("sleep_hours_nights_per_week", amount=0, target=5), "amount"),
        (Measure("sleep_hours_nights_per_week", target=5), "amount"),
        (Measure("activity_minutes_days_per_week", "pain", amount=20, target=5), "subject"),
        (Measure("activity_minutes_days_per_week", "physical", amount=20.5, target=5), "amount"),
        (Measure("symptom_at_most_most_days", "pain", target=11), "target"),
        (Measure("symptom_at_most_most_days", "physical", target=4), "subject"),
        (Measure("free_text", text="   "), "text"),
    ],
)
def test_invalid_measures_name_the_field(ctx, measure, field):
    assert field in measures.validate(measure)


def test_range_messages_say_what_is_allowed(ctx):
    message = measures.validate(Measure("instrument_total_below", "phq9", target=30))["target"]
    assert message == "Enter a target between 1 and 27."
    message = measures.validate(Measure("instrument_total_below", "phq9", target=9.5))["target"]
    assert message == "Use a whole number."


def test_normalize_drops_parameters_a_kind_does_not_use():
    cleaned = measures.normalize(
        Measure("sleep_hours_nights_per_week", subject="walking", amount=7, target=5, text=" x ")
    )
    assert cleaned == Measure("sleep_hours_nights_per_week", None, 7, 5, "x")
    assert measures.normalize(Measure("free_text", "phq9", 3, 4, "words")) == Measure(
        "free_text", text="words"
    )


def test_sources_signal_serves_connected_kinds_only():
    measure = Measure("sleep_hours_nights_per_week", amount=7, target=5)
    day = date(2026, 11, 21)
    with measure_observations.muted():
        assert sources.observations_for(None, measure, day, day) is None
    calls = []

    def provider(kind, *, patient, measure, start, end):
        calls.append((kind, patient, measure, start, end))
        return [(day, 7.0)]

    with measure_observations.connected_to(provider, sender="sleep_hours_nights_per_week"):
        assert sources.observations_for("p", measure, day, day) == [(day, 7.0)]
    assert calls == [("sleep_hours_nights_per_week", "p", measure, day, day)]
    assert provider not in measure_observations.receivers.values()


@pytest.mark.parametrize("kind", ["free_text", "nonsense"])
def test_sources_refuse_unlinked_or_unknown_kinds(kind):
    with pytest.raises(ValueError, match="measure kind"):
        sources.observes(kind)
