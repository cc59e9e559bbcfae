"""The registry of measure kinds a goal can be linked to, with labels and parameter validation.

Each kind names the data it needs (`subject`), an optional daily `amount` and a numeric
`target`, the window of days its progress looks at, and the pure function in
app.careplan.progress that judges it. `free_text` goals are not linked to data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.careplan import progress
from app.careplan.content import Measure
from app.diary.catalogs import ACTIVITY_KINDS
from app.diary.catalogs import SYMPTOMS as DIARY_SYMPTOMS

# Instrument ids and the highest possible total (see /work/shared/CLINICAL.md).
INSTRUMENTS: dict[str, tuple[str, int]] = {
    "phq9": ("PHQ-9", 27),
    "gad7": ("GAD-7", 21),
    "phq15": ("PHQ-15", 30),
}
# Linked goals use the diary's own catalogs, so a goal's subject is exactly what patients record.
ACTIVITIES: Mapping[str, LazyString] = {kind.value: label for kind, label in ACTIVITY_KINDS.items()}
SYMPTOMS: Mapping[str, LazyString] = DIARY_SYMPTOMS


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    whole: bool = True

    def check(self, value: float | None) -> bool:
        if value is None or math.isnan(value) or not self.low <= value <= self.high:
            return False
        return not self.whole or value == int(value)


Evaluator = Callable[[list[tuple[date, float | None]], date, date, Measure], progress.Progress]


@dataclass(frozen=True)
class MeasureKind:
    code: str
    label: LazyString
    subjects: Mapping[str, object] | None = None
    amount: Range | None = None
    window_days: int = 0
    evaluate: Evaluator | None = None

    @property
    def linked(self) -> bool:
        return self.evaluate is not None

    def target_range(self, subject: str | None) -> Range | None:
        match self.code:
            case "instrument_total_below":
                top = INSTRUMENTS[subject][1] if subject in INSTRUMENTS else 0
                return Range(1, top)
            case "sleep_hours_nights_per_week" | "activity_minutes_days_per_week":
                return Range(1, 7)
            case "symptom_at_most_most_days":
                return Range(0, 10)
        return None


def _instrument(obs, start, end, m: Measure) -> progress.Progress:
    return progress.instrument_total_below(obs, start=start, end=end, threshold=m.target or 0)


def _days_at_least(obs, start, end, m: Measure) -> progress.Progress:
    return progress.days_at_least_per_week(
        obs, start=start, end=end, minimum=m.amount or 0, days_per_week=int(m.target or 0)
    )


def _most_days(obs, start, end, m: Measure) -> progress.Progress:
    return progress.at_most_on_most_days(obs, start=start, end=end, maximum=m.target or 0)


KINDS: dict[str, MeasureKind] = {
    kind.code: kind
    for kind in (
        MeasureKind(
            "instrument_total_below",
            _l("Questionnaire total below a threshold"),
            subjects={key: name for key, (name, _top) in INSTRUMENTS.items()},
            window_days=28,
            evaluate=_instrument,
        ),
        MeasureKind(
            "sleep_hours_nights_per_week",
            _l("Hours of sleep on a number of nights a week"),
            amount=Range(1, 14, whole=False),
            window_days=7,
            evaluate=_days_at_least,
        ),
        MeasureKind(
            "activity_minutes_days_per_week",
            _l("Minutes of an activity on a number of days a week"),
            subjects=ACTIVITIES,
            amount=Range(1, 600),
            window_days=7,
            evaluate=_days_at_least,
        ),
        MeasureKind(
            "symptom_at_most_most_days",
            _l("A symptom at most a rating on most days"),
            subjects=SYMPTOMS,
            window_days=14,
            evaluate=_most_days,
        ),
        MeasureKind("free_text", _l("Described in words (not linked to data)")),
    )
}

ERRORS = {
    "kind": _l("Choose how progress is measured."),
    "subject": _l("Choose what this goal is linked to."),
    "amount": _l("Enter an amount between %(low)s and %(high)s."),
    "target": _l("Enter a target between %(low)s and %(high)s."),
    "whole": _l("Use a whole number."),
    "text": _l("Describe how progress will be measured."),
}


def _range_error(key: str, rng: Range, value: float | None) -> str:
    if value is not None and rng.low <= value <= rng.high and rng.whole and value != int(value):
        return str(ERRORS["whole"])
    return str(ERRORS[key]) % {"low": _fmt(rng.low), "high": _fmt(rng.high)}


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def validate(measure: Measure) -> dict[str, str]:
    """Field name → the message to show; empty when the measure is complete and in range."""
    kind = KINDS.get(measure.kind)
    if kind is None:
        return {"kind": str(ERRORS["kind"])}
    errors: dict[str, str] = {}
    if not kind.linked:
        if not measure.text.strip():
            errors["text"] = str(ERRORS["text"])
        return errors
    if kind.subjects is not None and measure.subject not in kind.subjects:
        errors["subject"] = str(ERRORS["subject"])
    if kind.amount is not None and not kind.amount.check(measure.amount):
        errors["amount"] = _range_error("amount", kind.amount, measure.amount)
    rng = kind.target_range(measure.subject)
    if rng is not None and "subject" not in errors and not rng.check(measure.target):
        errors["target"] = _range_error("target", rng, measure.target)
    return errors


def normalize(measure: Measure) -> Measure:
    """Drop parameters a kind does not use, so versions compare cleanly."""
    kind = KINDS[measure.kind]
    return Measure(
        kind=measure.kind,
        subject=measure.subject if kind.subjects is not None else None,
        amount=measure.amount if kind.amount is not None else None,
        target=measure.target if kind.linked else None,
        text=measure.text.strip(),
    )


def subject_label(measure: Measure) -> str:
    kind = KINDS.get(measure.kind)
    if kind is None or kind.subjects is None or measure.subject not in kind.subjects:
        return ""
    return str(kind.subjects[measure.subject])
