"""Which lesson a pattern in the patient's diary points to, and the rule shown with it.

Pure and deterministic: the caller (the read side, `app.trends`) detects the patterns and
passes what it found; this module only maps a finding to a lesson and words the reason the
patient sees ("Shown because ..."). The thresholds in the wording are the ones the detectors
use, passed in, so the reason never drifts from the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from app.education.content import LESSONS, Lesson


@dataclass(frozen=True)
class Finding:
    """What a detector found: `kind` is "boom_bust", "short_sleep", "high_stress" or
    "high_activity" (factors followed by more symptoms); `count` the episodes (boom-bust)."""

    kind: str
    count: int = 0


@dataclass(frozen=True)
class Match:
    lesson: Lesson
    reason: str


LESSON_FOR = {
    "boom_bust": "pacing",
    "high_activity": "pacing",
    "short_sleep": "sleep",
    "high_stress": "stress_body",
}


def reason(finding: Finding, *, ratio: float, flare_points: float, within_hours: int) -> str:
    match finding.kind:
        case "boom_bust":
            return ngettext(
                "Shown because your diary has %(num)d time when a day with more than "
                "%(ratio)s times your usual activity was followed within %(hours)d hours by "
                "symptoms at least %(points)s points above your usual level.",
                "Shown because your diary has %(num)d times when a day with more than "
                "%(ratio)s times your usual activity was followed within %(hours)d hours by "
                "symptoms at least %(points)s points above your usual level.",
                finding.count,
                ratio=_number(ratio),
                hours=within_hours,
                points=_number(flare_points),
            )
        case "high_activity":
            return _(
                "Shown because after days with much more activity than usual, your symptoms "
                "were higher."
            )
        case "short_sleep":
            return _(
                "Shown because after nights with less than 6 hours of sleep, your symptoms "
                "were higher."
            )
        case _:
            return _(
                "Shown because after days with high stress (7 or more), your symptoms were higher."
            )


def _number(value: float) -> str:
    return format_decimal(value)


def matches(
    findings: list[Finding], *, ratio: float, flare_points: float, within_hours: int
) -> list[Match]:
    """One lesson per finding kind, each lesson once (the first finding that points to it)."""
    seen: set[str] = set()
    found: list[Match] = []
    for finding in findings:
        key = LESSON_FOR.get(finding.kind)
        if key is None or key in seen:
            continue
        seen.add(key)
        found.append(
            Match(
                LESSONS[key],
                reason(finding, ratio=ratio, flare_points=flare_points, within_hours=within_hours),
            )
        )
    return found
