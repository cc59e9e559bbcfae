"""Trend charts for the pre-visit summary, built on the shared SVG builder (app.web.charts).

Each chart carries its localized title, a text description (recorded days, average, range),
its adherence (recorded days of the period) and is mirrored for right-to-left pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import mean

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from app.diary.catalogs import ACTIVITY_KINDS
from app.i18n import formatting, text_direction
from app.i18n.bidi import isolate
from app.instruments.loader import Definition
from app.trends.analytics import Adherence
from app.trends.summary_analytics import DiaryTrends, ScorePlot
from app.web.charts import Band, ChartText, Event, Series, rolling_mean, segments, svg_chart

# Light fills from the mildest to the most severe band (readable in print and greyscale).
BAND_FILLS = ("#e8f3ec", "#f4f1dc", "#f8e8d4", "#f6dcd2", "#f2d0d0")
# The same bands as marks on the diary charts' time axis (stronger, to be seen as small squares).
BAND_MARKS = ("#3d8b5a", "#c9b53a", "#d9822b", "#c8553d", "#a4161a")
SMOOTH_FROM_DAYS = 60  # the 90- and 365-day periods draw a 7-day average over daily points
KIND_STYLES = {
    "physical": ("#0b5cad", None),
    "cognitive": ("#6b3fa0", "6 3"),
    "social": ("#1e6b37", "2 3"),
    "rest": ("#8a5a00", "10 4"),
}


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: Markup
    adherence: Adherence
    unit_note: str = ""
    legend: tuple[tuple[str, str, str | None], ...] = ()  # (label, colour, dash)


def _description(values: Sequence[float | None], total: int) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return _("No days recorded in this period.")
    return _(
        "%(recorded)d of %(total)d days recorded. Average %(average)s, lowest %(low)s, highest %(high)s. Days without an entry are gaps.",
        recorded=len(known),
        total=total,
        average=format_decimal(round(mean(known), 1)),
        low=format_decimal(round(min(known), 1)),
        high=format_decimal(round(max(known), 1)),
    )


def _text(title: str, description: str, days: Sequence[date]) -> ChartText:
    return ChartText(
        title=title,
        description=description,
        first_label=formatting.date(days[0]),
        last_label=formatting.date(days[-1]),
    )


def day_chart(
    key: str,
    title: str,
    values: Sequence[float | None],
    days: Sequence[date],
    *,
    y_max: float,
    y_min: float = 0,
    events: Sequence[Event] = (),
) -> Chart:
    """One value per day of the period; missing days are gaps. Long periods draw the 7-day
    average of recorded days as the line and the daily values as light points."""
    description = _description(values, len(days))
    if len(days) >= SMOOTH_FROM_DAYS:
        series = [
            Series(segments(values), points_only=True),
            Series(segments(rolling_mean(values))),
        ]
        description += " " + _(
            "The line is the 7-day average of the recorded days, left out where fewer than 4 of 7 days are recorded; the dots are the daily values."
        )
    else:
        series = [Series(segments(values))]
    if events:
        description += " " + _("Marks on the time axis are listed in the table below the charts.")
    svg = svg_chart(
        series,
        length=len(days),
        text=_text(title, description, days),
        chart_id=f"chart-{key}",
        y_max=y_max,
        y_min=y_min,
        rtl=text_direction() == "rtl",
        events=events,
    )
    recorded = sum(1 for v in values if v is not None)
    return Chart(key, title, svg, Adherence(recorded, len(days)))


def activity_chart(
    by_kind: dict[str, list[float | None]],
    labels: dict[str, str],
    days: Sequence[date],
    events: Sequence[Event] = (),
) -> Chart:
    """Minutes per day by activity kind (rest included), one line style per kind; long periods
    draw each kind's 7-day average over its daily values as light points."""
    title = _("Activity minutes by kind, with rest")
    known = [v for values in by_kind.values() for v in values if v is not None]
    top = max([120.0, *known])
    y_max = float(-(-top // 60) * 60)  # up to the next full hour
    smooth = len(days) >= SMOOTH_FROM_DAYS
    series = [
        Series(segments(values), colour=KIND_STYLES[kind][0], points_only=True)
        for kind, values in by_kind.items()
        if smooth
    ] + [
        Series(
            segments(rolling_mean(values) if smooth else values),
            colour=KIND_STYLES[kind][0],
            dash=KIND_STYLES[kind][1],
        )
        for kind, values in by_kind.items()
    ]
    recorded_days = {
        i for values in by_kind.values() for i, v in enumerate(values) if v is not None
    }
    parts = [
        _(
            "%(kind)s: %(recorded)d days",
            kind=labels[kind],
            recorded=sum(v is not None for v in values),
        )
        for kind, values in by_kind.items()
    ]
    description = _("Minutes per day. Days without an entry are gaps.") + " " + "; ".join(parts)
    if smooth:
        description += " " + _(
            "The line is the 7-day average of the recorded days, left out where fewer than 4 of 7 days are recorded; the dots are the daily values."
        )
    svg = svg_chart(
        series,
        length=len(days),
        text=_text(title, description, days),
        chart_id="chart-activity",
        y_max=y_max,
        rtl=text_direction() == "rtl",
        events=events,
    )
    legend = tuple((labels[kind], *KIND_STYLES[kind]) for kind in by_kind)
    return Chart("activity", title, svg, Adherence(len(recorded_days), len(days)), legend=legend)


def score_chart(
    definition: Definition,
    title: str,
    points: Sequence[ScorePlot],
    days: Sequence[date],
    *,
    answered: int,
    due: int,
) -> Chart:
    """An instrument's totals with its severity bands shaded and threshold-sized changes ringed.
    Consecutive answers are joined; a missed window breaks the line."""
    segments: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for point in sorted(points, key=lambda p: p.day_index):
        if point.total is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append((point.day_index, float(point.total)))
    if current:
        segments.append(current)
    y_max = float(max((b.max for b in definition.bands), default=definition_max(points)))
    bands = [
        Band(b.min - (0.5 if i else 0), b.max + 0.5, BAND_FILLS[min(i, len(BAND_FILLS) - 1)])
        for i, b in enumerate(sorted(definition.bands, key=lambda b: b.min))
    ]
    markers = [(p.day_index, float(p.total)) for p in points if p.flagged and p.total is not None]
    totals = [p.total for p in points if p.total is not None]
    description = _(
        "%(answered)d of %(due)d questionnaires answered in this period.",
        answered=answered,
        due=due,
    )
    if totals:
        description += " " + _(
            "Lowest %(low)d, highest %(high)d, latest %(latest)d. Shaded bands are the severity bands; rings mark changes that reach the instrument's threshold.",
            low=min(totals),
            high=max(totals),
            latest=totals[-1],
        )
    svg = svg_chart(
        [Series(segments)],
        length=len(days),
        text=_text(title, description, days),
        chart_id=f"chart-score-{definition.id}",
        y_max=y_max,
        rtl=text_direction() == "rtl",
        bands=bands,
        markers=markers,
    )
    return Chart(f"score-{definition.id}", title, svg, Adherence(answered, due))


def definition_max(points: Sequence[ScorePlot]) -> int:
    return max([10, *(p.total for p in points if p.total is not None)])


def diary_charts(
    trends: DiaryTrends,
    symptom_labels: Mapping[str, str],
    days: Sequence[date],
    events: Sequence[Event] = (),
) -> tuple[Chart, ...]:
    """The summary's diary charts, in the order of the series, then activity by kind."""
    fixed = {
        "overall": (_("Overall symptom level (0 to 10)"), 10.0, 0.0),
        "mood": (_("Mood (0 to 10)"), 10.0, 0.0),
        "stress": (_("Stress (0 to 10)"), 10.0, 0.0),
        "energy": (_("Energy (0 to 10)"), 10.0, 0.0),
        "sleep_hours": (_("Sleep duration (hours)"), 12.0, 0.0),
        "sleep_quality": (_("Sleep quality (1 to 5)"), 5.0, 1.0),
    }
    charts = []
    for line in trends.series:
        if line.key in fixed:
            title, y_max, y_min = fixed[line.key]
        else:
            label = symptom_labels[line.key.removeprefix("symptom-")]
            title, y_max, y_min = _("%(symptom)s (0 to 10)", symptom=isolate(label)), 10.0, 0.0
        charts.append(
            day_chart(line.key, title, line.values, days, y_max=y_max, y_min=y_min, events=events)
        )
    labels = {kind.value: str(label) for kind, label in ACTIVITY_KINDS.items()}
    by_kind = {line.key: list(line.values) for line in trends.activity}
    return (*charts, activity_chart(by_kind, labels, days, events))


def band_mark(definition: Definition, band: str | None) -> str:
    """The colour of a questionnaire band's mark on the diary charts' time axis."""
    codes = [b.code for b in sorted(definition.bands, key=lambda b: b.min)]
    if band not in codes:
        return "#4a5260"
    return BAND_MARKS[min(codes.index(band), len(BAND_MARKS) - 1)]
