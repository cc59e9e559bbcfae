"""Scoring as pure functions over a definition and a mapping of item id -> value.

Rules come from the definition files (sum, subscales, bands, change thresholds). Without a
published proration rule an incomplete response has no total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.instruments.loader import Critical, Definition, Item


class AnswerProblem(StrEnum):
    UNKNOWN_ITEM = "unknown_item"
    NOT_APPLICABLE = "not_applicable"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"


@dataclass(frozen=True)
class SubscaleScore:
    code: str
    score: int | None
    positive: bool | None


@dataclass(frozen=True)
class Score:
    total: int | None
    max_total: int
    band: str | None
    subscales: tuple[SubscaleScore, ...]
    answered: int
    applicable: int

    @property
    def complete(self) -> bool:
        return self.total is not None


@dataclass(frozen=True)
class ChangeResult:
    delta: int
    flag: str | None  # "worse", "better" or None


def applicable_items(definition: Definition, *, menstruates: bool | None) -> tuple[Item, ...]:
    """Items asked of this patient: a 'menstruates' item is left out only when known not to apply."""
    return tuple(
        item
        for item in definition.items
        if item.applies_if is None
        or (item.applies_if == "menstruates" and menstruates is not False)
    )


def check_answers(
    definition: Definition, raw: Mapping[str, object], *, menstruates: bool | None
) -> tuple[dict[str, int], dict[str, AnswerProblem]]:
    """Parse submitted answers; every problem is reported, and nothing is half-accepted."""
    applicable = {item.id for item in applicable_items(definition, menstruates=menstruates)}
    values: dict[str, int] = {}
    problems: dict[str, AnswerProblem] = {}
    for item_id, value in raw.items():
        item = definition.item(item_id)
        if item is None:
            problems[item_id] = AnswerProblem.UNKNOWN_ITEM
            continue
        if item_id not in applicable:
            problems[item_id] = AnswerProblem.NOT_APPLICABLE
            continue
        try:
            number = int(str(value).strip())
        except ValueError:
            problems[item_id] = AnswerProblem.NOT_A_NUMBER
            continue
        if number not in definition.values_for(item):
            problems[item_id] = AnswerProblem.OUT_OF_RANGE
            continue
        values[item_id] = number
    return values, problems


def band_for(definition: Definition, total: int | None) -> str | None:
    if total is None:
        return None
    for band in definition.bands:
        if band.min <= total <= band.max:
            return band.code
    return None


def score(definition: Definition, answers: Mapping[str, int], *, menstruates: bool | None) -> Score:
    scored = [i for i in applicable_items(definition, menstruates=menstruates) if i.scored]
    max_total = sum(max(definition.values_for(i)) for i in scored)
    answered = [i for i in scored if i.id in answers]
    complete = len(answered) == len(scored)
    # No scored item (a social-needs screen): no total at all, never a total of 0.
    total = sum(answers[i.id] for i in scored) if complete and scored else None
    subscales = []
    for sub in definition.subscales:
        if all(item_id in answers for item_id in sub.items):
            value = sum(answers[item_id] for item_id in sub.items)
            positive = None if sub.positive_at is None else value >= sub.positive_at
            subscales.append(SubscaleScore(sub.code, value, positive))
        else:
            subscales.append(SubscaleScore(sub.code, None, None))
    return Score(
        total=total,
        max_total=max_total,
        band=band_for(definition, total),
        subscales=tuple(subscales),
        answered=len(answered),
        applicable=len(scored),
    )


def critical_answers(definition: Definition, answers: Mapping[str, int]) -> list[Critical]:
    return [c for c in definition.critical_items if answers.get(c.item, -1) >= c.min_value]


def _band_rank(definition: Definition, code: str | None) -> int | None:
    codes = [b.code for b in sorted(definition.bands, key=lambda b: b.min)]
    return codes.index(code) if code in codes else None


def change(definition: Definition, current: int, reference: int) -> ChangeResult:
    """Change from a reference score, flagged when it reaches the definition's threshold.

    Worse: an increase of at least the threshold (points, or percent of the reference when the
    definition has one), or a move into a higher severity band. Better: a decrease of at least
    the threshold. Instruments without an established threshold and flag=false never flag.
    """
    delta = current - reference
    rule = definition.change
    if not rule.flag:
        return ChangeResult(delta, None)

    def reaches(amount: int) -> bool:
        if rule.threshold_points is not None and amount >= rule.threshold_points:
            return True
        return (
            rule.threshold_percent is not None
            and reference > 0
            and amount * 100 >= rule.threshold_percent * reference
        )

    before = _band_rank(definition, band_for(definition, reference))
    after = _band_rank(definition, band_for(definition, current))
    if delta > 0 and (
        reaches(delta) or (before is not None and after is not None and after > before)
    ):
        return ChangeResult(delta, "worse")
    if delta < 0 and reaches(-delta):
        return ChangeResult(delta, "better")
    return ChangeResult(delta, None)


def choose_locale(
    definition: Definition, *, preferred: str, readable: list[str]
) -> tuple[str, bool] | None:
    """The language to present: the preferred one when an official text exists, else the first
    readable one that has it (substituted=True), else None (not available to this patient)."""
    if preferred in definition.locales:
        return preferred, False
    for locale in readable:
        if locale in definition.locales:
            return locale, True
    return None
