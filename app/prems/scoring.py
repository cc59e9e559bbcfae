"""Pure PREM scoring and aggregation, exactly as published (no database, tested directly).

CollaboRATE (Elwyn 2013; glynelwyn.com scoring page, PhenX 662301): a response is *scored* only
when all three items are answered (any missing: excluded). Its **top score** is whether all
three items are at the maximum (4 on the 5-point version); a group's top score is the share of
scored responses with a top score. Heed's **mean** is the mean item score (0-4) of a response,
averaged over the group's scored responses.

CARE Measure (Mercer 2004): ten items 1 (poor) to 5 (excellent) or "does not apply" (None).
Total 10-50; up to two "does not apply" or missing answers are replaced by the mean of the
answered items; more than two: no score. (Heed does not offer the CARE Measure yet, see
docs/experience.md; the rule is here, tested, for when its licence is confirmed.)

Aggregates are suppressed below `MIN_GROUP` scored responses (never shown, not even the count).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

COLLABORATE_ITEMS = ("1", "2", "3")
COLLABORATE_MAX = 4
CARE_ITEMS = 10
CARE_LOW, CARE_HIGH = 1, 5
CARE_MAX_MISSING = 2
MIN_GROUP = 25


@dataclass(frozen=True)
class CollaborateScore:
    top: bool
    mean: float


def collaborate_score(answers: Mapping[str, int | None]) -> CollaborateScore | None:
    """None when any item is missing (the response is excluded), else top score and mean."""
    values = [answers.get(item) for item in COLLABORATE_ITEMS]
    if any(value is None for value in values):
        return None
    checked = [_in_range(value, 0, COLLABORATE_MAX) for value in values]  # type: ignore[arg-type]
    return CollaborateScore(
        top=all(value == COLLABORATE_MAX for value in checked),
        mean=sum(checked) / len(checked),
    )


def care_total(answers: Sequence[int | None]) -> float | None:
    """The CARE Measure total (10-50) from ten answers, None meaning "does not apply" or
    missing; None when more than two are."""
    if len(answers) != CARE_ITEMS:
        raise ValueError(f"the CARE Measure has {CARE_ITEMS} items, got {len(answers)}")
    given = [_in_range(value, CARE_LOW, CARE_HIGH) for value in answers if value is not None]
    missing = CARE_ITEMS - len(given)
    if missing > CARE_MAX_MISSING:
        return None
    mean = sum(given) / len(given)
    return sum(given) + missing * mean


def _in_range(value: int, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"answer {value!r} is outside {low}-{high}")
    return value


def quarter_of(day: date) -> str:
    """'2026-Q4' for any day of October to December 2026."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Aggregate:
    """One group's CollaboRATE result. `suppressed` groups carry no numbers at all."""

    key: tuple[str, ...]
    suppressed: bool
    n: int | None = None
    top_share: float | None = None  # 0-1
    mean: float | None = None  # 0-4


def aggregate(
    scores: Iterable[tuple[tuple[str, ...], CollaborateScore | None]],
    *,
    min_group: int = MIN_GROUP,
) -> list[Aggregate]:
    """Groups `(key, score)` pairs by key (unscored responses excluded), sorted by key; a group
    with fewer than `min_group` scored responses is suppressed."""
    groups: dict[tuple[str, ...], list[CollaborateScore]] = {}
    for key, score in scores:
        bucket = groups.setdefault(key, [])
        if score is not None:
            bucket.append(score)
    found = []
    for key in sorted(groups):
        scored = groups[key]
        if len(scored) < min_group:
            found.append(Aggregate(key=key, suppressed=True))
            continue
        found.append(
            Aggregate(
                key=key,
                suppressed=False,
                n=len(scored),
                top_share=sum(score.top for score in scored) / len(scored),
                mean=sum(score.mean for score in scored) / len(scored),
            )
        )
    return found
