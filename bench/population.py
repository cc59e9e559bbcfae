"""Seed planning (pure): who exists, which diary days and questionnaires each patient has."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

ZONES: tuple[str, ...] = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Atlantic/South_Georgia",
    "Atlantic/Azores",
    "UTC",
    "Europe/Berlin",
    "Europe/Athens",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Brisbane",
)
HISTORY_PROFILES: dict[str, int] = {"90d": 90, "1y": 365, "3y": 3 * 365}
INSTRUMENTS: tuple[str, ...] = ("phq9", "gad7")


@dataclass(frozen=True)
class Population:
    """The issue's population; tests use a tiny one."""

    diary_patients: int = 1000
    history_days: int = 730
    missing_rate: float = 0.15
    questionnaire_every: int = 14
    answered_rate: float = 0.88
    clinicians: int = 30
    team_size: int = 3
    upcoming_patients: int = 500
    upcoming_days: int = 7
    recipients: int = 100_000
    zones: tuple[str, ...] = ZONES
    history_profiles: dict[str, int] = field(default_factory=lambda: dict(HISTORY_PROFILES))

    def __post_init__(self) -> None:
        if self.upcoming_patients > self.diary_patients:
            raise ValueError("follow-up patients are a subset of the diary patients")
        if self.diary_patients + len(self.history_profiles) > self.recipients:
            raise ValueError("every seeded patient is also an SMS recipient")
        if self.team_size > self.clinicians:
            raise ValueError("not enough clinicians for a care team")


def diary_days(rng: random.Random, *, end: date, days: int, missing_rate: float) -> list[date]:
    """`days` calendar days ending at `end`, some missing (in runs, as real diaries have)."""
    kept: list[date] = []
    skip = 0
    for offset in range(days - 1, -1, -1):
        if skip:
            skip -= 1
            continue
        if rng.random() < missing_rate:
            skip = rng.choice((0, 0, 0, 1, 2, 4))  # a lapse of a few days now and then
            continue
        kept.append(end - timedelta(days=offset))
    return kept


def questionnaire_dates(*, end: date, days: int, every: int) -> list[date]:
    first = end - timedelta(days=days - 1)
    return [first + timedelta(days=n) for n in range(0, days, every)]


def team_for(index: int, pop: Population) -> list[int]:
    """Clinician numbers on patient `index`'s team; clinician 0 leads the follow-up patients."""
    if index < pop.upcoming_patients:
        others = [1 + (index + k * 7) % (pop.clinicians - 1) for k in range(pop.team_size - 1)]
        return [0, *dict.fromkeys(others)][: pop.team_size]
    start = 1 + index % (pop.clinicians - 1)
    return [1 + (start - 1 + k) % (pop.clinicians - 1) for k in range(pop.team_size)]


def zone_for(index: int, pop: Population) -> str:
    return pop.zones[index % len(pop.zones)]


def phone_for(index: int) -> str:
    """Unique fictional numbers (+1 555 ...), one per recipient."""
    return f"+1555{index:07d}"


def estimate_rows(pop: Population) -> dict[str, int]:
    """Approximate row counts (for the report and for sizing the run)."""
    history = sum(pop.history_profiles.values())
    diary_days_total = pop.diary_patients * pop.history_days + history
    kept = int(diary_days_total * (1 - pop.missing_rate * 1.6))
    occurrences = (
        (pop.diary_patients * pop.history_days + history)
        // pop.questionnaire_every
        * len(INSTRUMENTS)
    )
    return {
        "users": pop.recipients + pop.clinicians,
        "patients": pop.recipients,
        "diary_entries": kept,
        "instrument_occurrences": occurrences,
        "instrument_responses": int(occurrences * pop.answered_rate),
        "care_team_memberships": (pop.diary_patients + len(pop.history_profiles)) * pop.team_size,
        "upcoming_appointments": pop.upcoming_patients,
    }
