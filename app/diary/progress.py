"""The diary's part of the patient's home: a gentle sense of progress. Reads only.

- The last seven days as dots: recorded or not recorded (never "missed"; no streaks, no scores).
- A small weekly trend of how heavy symptoms were: the average of the recorded days of each of
  the last WEEKS weeks (rolling weeks ending today). A week with fewer than MIN_DAYS_PER_WEEK
  recorded days has no average: it is a gap, never 0.
- One current finding of "My patterns" (the strongest), over the same window as that page.
With no entry in the trend's weeks the card says so kindly and shows nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean
from typing import Any

from babel.lists import format_list
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from app.careteam.models import Patient
from app.diary import catalogs, queries
from app.diary.insights import day_facts, find_patterns, heaviness
from app.diary.pages import PATTERN_WINDOW_DAYS, outcome_labeller
from app.i18n import formatting, text_direction
from app.web.charts import ChartText, line_chart

WEEKS = 8
MIN_DAYS_PER_WEEK = 4


@dataclass(frozen=True)
class DayDot:
    day: date
    recorded: bool
    is_today: bool


def week_dots(recorded: set[date], today: date) -> list[DayDot]:
    """The last seven days, oldest first."""
    days = [today - timedelta(days=n) for n in range(6, -1, -1)]
    return [DayDot(day, day in recorded, day == today) for day in days]


def weekly_averages(levels: Mapping[date, int | None], today: date) -> list[float | None]:
    """The average level of each of the last WEEKS weeks (oldest first; today ends the last),
    from recorded levels only; None for a week with fewer than MIN_DAYS_PER_WEEK of them."""
    averages: list[float | None] = []
    for week in range(WEEKS - 1, -1, -1):
        end = today - timedelta(days=7 * week)
        known = [
            level for n in range(7) if (level := levels.get(end - timedelta(days=n))) is not None
        ]
        averages.append(round(mean(known), 1) if len(known) >= MIN_DAYS_PER_WEEK else None)
    return averages


def _trend_chart(averages: list[float | None], today: date) -> Any:
    starts = [today - timedelta(days=7 * week + 6) for week in range(WEEKS - 1, -1, -1)]
    weeks = [
        _(
            "week from %(date)s: %(value)s",
            date=formatting.month_day(start),
            value=format_decimal(v),
        )
        if v is not None
        else _("week from %(date)s: no average", date=formatting.month_day(start))
        for start, v in zip(starts, averages, strict=True)
    ]
    description = _(
        "Average of the days you recorded, from 0 (none) to 10, over the last %(num)d weeks, oldest first: %(weeks)s. A week needs %(min)d recorded days for an average.",
        num=WEEKS,
        weeks=format_list(weeks, locale=get_locale()),
        min=MIN_DAYS_PER_WEEK,
    )
    text = ChartText(
        title=_("How heavy my symptoms were, week by week"),
        description=description,
        first_label=formatting.month_day(starts[0]),
        last_label=_("this week"),
    )
    return line_chart(
        averages, text=text, chart_id="home-trend", y_max=10, rtl=text_direction() == "rtl"
    )


def progress_context(patient: Patient, *, today: date) -> dict[str, Any]:
    start = today - timedelta(days=PATTERN_WINDOW_DAYS - 1)
    entries = queries.entries_between(patient, start, today)
    trend_start = today - timedelta(days=7 * WEEKS - 1)
    recent = {e.local_date: e for e in entries if e.local_date >= trend_start}
    if not recent:
        return {"empty": True}
    averages = weekly_averages({day: heaviness(e) for day, e in recent.items()}, today)
    report = find_patterns(day_facts(entries))
    dots = week_dots(set(recent), today)
    return {
        "empty": False,
        "dots": dots,
        "recorded": sum(dot.recorded for dot in dots),
        "this_week": averages[-1],
        "trend": _trend_chart(averages, today) if any(v is not None for v in averages) else None,
        "min_days": MIN_DAYS_PER_WEEK,
        "insight": report.associations[0] if report.associations else None,
        "outcome_label": outcome_labeller(patient),
        "catalogs": catalogs,
    }
