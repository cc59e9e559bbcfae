"""Server-rendered SVG line charts, shared by the diary and the clinician trend views. Pure:
values and already-localized text in, markup out.

Missing days are gaps (the line breaks); a lone day between gaps is a dot. For right-to-left
pages the plot group is mirrored so time runs from right to left; text is never mirrored: it
carries its own direction and is anchored so that it grows into the chart, never past the
viewBox (Arabic dates and axis labels were clipped at the edges).

Long periods draw a 7-day average (`rolling_mean`, recorded days only) over the daily values
as light points, and may mark events (follow-ups, care-plan changes, questionnaire bands) on
the same time axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

WIDTH, HEIGHT = 340, 170
LEFT, RIGHT, TOP, BOTTOM = 30, 10, 10, 24


@dataclass(frozen=True)
class ChartText:
    """Localized strings for one chart (formatted by the caller with Babel)."""

    title: str
    description: str
    first_label: str
    last_label: str


def segments(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive known values as (index, value) points; None breaks a run."""
    out: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                out.append(current)
            current = []
        else:
            current.append((index, value))
    if current:
        out.append(current)
    return out


def rolling_mean(
    values: Sequence[float | None], *, window: int = 7, min_known: int = 4
) -> list[float | None]:
    """The trailing `window`-day average of the recorded days only (None is not a zero): the
    day's value is the mean of the known values among it and the `window - 1` days before;
    None where fewer than `min_known` of those days are recorded (also at the start, where the
    window is shorter), so a gap in the data stays a gap in the line."""
    out: list[float | None] = []
    for index in range(len(values)):
        known = [v for v in values[max(0, index - window + 1) : index + 1] if v is not None]
        out.append(round(sum(known) / len(known), 2) if len(known) >= min_known else None)
    return out


@dataclass(frozen=True)
class Series:
    """One line: points as (day index, value); consecutive points in a segment are joined.
    `points_only` draws every value as a light dot instead (daily values under an average)."""

    segments: list[list[tuple[int, float]]]
    colour: str = "#0b5cad"
    dash: str | None = None  # an SVG stroke-dasharray, to tell lines apart without colour
    points_only: bool = False


@dataclass(frozen=True)
class Event:
    """A mark on the time axis: "visit" and "plan" are vertical lines, "score" a small square
    along the top filled with its band's colour."""

    index: int
    kind: str  # "visit", "plan" or "score"
    fill: str = "#4a5260"


EVENT_STYLES = {"visit": ("#1b1f24", "4 3"), "plan": ("#6b3fa0", "1 3")}


@dataclass(frozen=True)
class Band:
    """A shaded horizontal band (e.g. a severity band of a questionnaire)."""

    low: float
    high: float
    fill: str


def line_chart(
    values: Sequence[float | None],
    *,
    text: ChartText,
    chart_id: str,
    y_max: float = 10,
    y_min: float = 0,
    rtl: bool = False,
) -> Markup:
    """An SVG chart of one value per day (index 0 = oldest day)."""
    return svg_chart(
        [Series(segments(values))],
        length=len(values),
        text=text,
        chart_id=chart_id,
        y_max=y_max,
        y_min=y_min,
        rtl=rtl,
    )


def svg_chart(
    series: Sequence[Series],
    *,
    length: int,
    text: ChartText,
    chart_id: str,
    y_max: float = 10,
    y_min: float = 0,
    rtl: bool = False,
    bands: Sequence[Band] = (),
    markers: Sequence[tuple[int, float]] = (),
    events: Sequence[Event] = (),
) -> Markup:
    """The shared builder: `length` day slots, lines with gaps, optional shaded bands and
    ring markers (e.g. threshold-sized changes). Pure; every text is escaped."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max(length - 1, 1)
    y_span = (y_max - y_min) or 1

    def x(index: int) -> float:
        return round(LEFT + plot_w * index / span, 1)

    def y(value: float) -> float:
        clamped = min(max(value, y_min), y_max)
        return round(TOP + plot_h * (1 - (clamped - y_min) / y_span), 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' class="chart" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(text.title)}</title>',
        f'<desc id="{chart_id}-d">{escape(text.description)}</desc>',
    ]
    mirror = f' transform="translate({WIDTH} 0) scale(-1 1)"' if rtl else ""
    parts.append(f'<g class="plot"{mirror}>')
    for band in bands:
        top, bottom = y(band.high), y(band.low)
        parts.append(
            f'<rect x="{LEFT}" y="{top}" width="{plot_w}" height="{round(bottom - top, 1)}"'
            f" fill={quoteattr(band.fill)}/>"
        )
    for tick in (y_min, (y_min + y_max) / 2, y_max):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick)}" y2="{y(tick)}"'
            ' stroke="#c9ced6" stroke-width="1"/>'
        )
    for event in events:
        if not 0 <= event.index < max(length, 1):
            continue
        if event.kind == "score":
            parts.append(
                f'<rect class="event-score" x="{x(event.index) - 3}" y="{TOP - 8}" width="6"'
                f' height="6" fill={quoteattr(event.fill)} stroke="#4a5260" stroke-width="0.6"/>'
            )
            continue
        colour, dash = EVENT_STYLES.get(event.kind, EVENT_STYLES["visit"])
        parts.append(
            f'<line class="event-{escape(event.kind)}" x1="{x(event.index)}"'
            f' x2="{x(event.index)}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="{colour}"'
            f' stroke-width="1.2" stroke-dasharray="{dash}"/>'
        )
    for line in series:
        colour = quoteattr(line.colour)
        dash = f" stroke-dasharray={quoteattr(line.dash)}" if line.dash else ""
        if line.points_only:
            for segment in line.segments:
                for index, value in segment:
                    parts.append(
                        f'<circle class="day-point" cx="{x(index)}" cy="{y(value)}" r="1.8"'
                        f' fill={colour} fill-opacity="0.35"/>'
                    )
            continue
        for segment in line.segments:
            if len(segment) == 1:
                index, value = segment[0]
                parts.append(f'<circle cx="{x(index)}" cy="{y(value)}" r="2.5" fill={colour}/>')
                continue
            points = " ".join(f"{x(i)},{y(v)}" for i, v in segment)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke={colour} stroke-width="2"'
                f' stroke-linejoin="round" stroke-linecap="round"{dash}/>'
            )
    for index, value in markers:
        parts.append(
            f'<circle class="marker" cx="{x(index)}" cy="{y(value)}" r="5.5" fill="none"'
            ' stroke="#a4161a" stroke-width="2"/>'
        )
    parts.append("</g>")
    # Text is never mirrored: each label says its direction and grows towards the chart's
    # middle ("start" is the right-hand side of right-to-left text).
    direction = "rtl" if rtl else "ltr"
    tick_x = WIDTH - 4 if rtl else 4
    for tick in (y_min, y_max):
        parts.append(
            f'<text x="{tick_x}" y="{y(tick) + 4}" font-size="11" fill="#4a5260"'
            f' direction="{direction}" text-anchor="start">{escape(f"{tick:g}")}</text>'
        )
    first_x, last_x = (WIDTH - LEFT, RIGHT) if rtl else (LEFT, WIDTH - RIGHT)
    for pos, label, align in (
        (first_x, text.first_label, "start"),
        (last_x, text.last_label, "end"),
    ):
        parts.append(
            f'<text x="{pos}" y="{HEIGHT - 6}" font-size="11" fill="#4a5260"'
            f' direction="{direction}" text-anchor="{align}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above
