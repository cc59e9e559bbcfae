"""The registry's judgements, pure functions of plain values (no database, no request).

Response, remission and "not improving" are the collaborative-care definitions of CLINICAL.md
(team-care section), shared with the trend views through app/trends/analytics.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.trends.analytics import REMISSION_BELOW, RESPONSE_REDUCTION

NO_CONTACT_DAYS = 28
"""More than 4 weeks without contact (CLINICAL.md: first follow-up within 4 weeks)."""
TREAT_TO_TARGET_WEEK = 10
"""Weeks in treatment from which a patient without response must have been reviewed."""
REVIEW_SINCE_WEEK = 8
"""A case review counts when it happened since the start of this week of treatment."""


def weeks_in_treatment(enrolled_on: date, today: date) -> int:
    """Completed weeks since enrollment (week 1 is weeks_in_treatment 0)."""
    return max((today - enrolled_on).days, 0) // 7


def responded(baseline: int | None, latest: int | None, *, follow_up: bool) -> bool | None:
    """PHQ-9 response: the latest total at least 50 % below the baseline. None when there is
    no later total to compare (missing is missing, never "no")."""
    if baseline is None or latest is None or not follow_up:
        return None
    return latest <= baseline * (1 - RESPONSE_REDUCTION)


def remitted(latest: int | None, *, follow_up: bool) -> bool | None:
    """PHQ-9 remission: a later total below 5. None without a later total."""
    if latest is None or not follow_up:
        return None
    return latest < REMISSION_BELOW


def reviewed_since_week(
    days_since_review: int | None, *, enrolled_on: date, today: date, week: int = REVIEW_SINCE_WEEK
) -> bool:
    """Whether the last case review happened on or after the first day of `week` of treatment."""
    if days_since_review is None:
        return False
    reviewed_on = today - timedelta(days=days_since_review)
    return reviewed_on >= enrolled_on + timedelta(weeks=week - 1)


def treat_to_target(
    *,
    weeks: int,
    response: bool | None,
    remission: bool | None,
    reviewed: bool,
) -> bool:
    """Flag: 10 weeks or more in treatment, no PHQ-9 response (nor remission; no follow-up
    total counts as no response) and no case review since the start of week 8."""
    return weeks >= TREAT_TO_TARGET_WEEK and not (response or remission) and not reviewed


def no_contact(last_contact: datetime | None, *, enrolled_at: datetime, now: datetime) -> bool:
    """More than 4 weeks since the last contact; without any contact yet, since enrollment."""
    return now - (last_contact or enrolled_at) > timedelta(days=NO_CONTACT_DAYS)


# --- agenda reasons (plain tuples in, (patient id, code) out) -------------------------------


@dataclass(frozen=True)
class RaisedAlert:
    patient_id: uuid.UUID
    rule_code: str
    urgent: bool


CRITICAL_RULE = "critical_answer"


def alert_codes(alerts: Iterable[RaisedAlert]) -> list[tuple[uuid.UUID, str]]:
    """A critical answer is "critical_alert"; any other urgent alert "urgent_alert"; one
    reason per patient and code."""
    found: dict[tuple[uuid.UUID, str], None] = {}
    for alert in alerts:
        if alert.rule_code == CRITICAL_RULE:
            found[(alert.patient_id, "critical_alert")] = None
        elif alert.urgent:
            found[(alert.patient_id, "urgent_alert")] = None
    return list(found)


def enrolled_between(
    enrolled: Mapping[uuid.UUID, datetime], *, since: datetime, until: datetime
) -> list[uuid.UUID]:
    return [pid for pid, at in enrolled.items() if since <= at <= until]


def flagged(values: Mapping[uuid.UUID, bool | None]) -> list[uuid.UUID]:
    return [pid for pid, value in values.items() if value]
