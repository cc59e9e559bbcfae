"""Server-rendered SVG line charts, shared by the diary and the clinician trend views. Pure:
values and already-localized text in, markup out.

Missing days are gaps (the line breaks); a lone day between gaps is a dot. For right-to-left
pages the plot group is mirrored so time runs from right to left; text is never mirrored.
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


@dataclass(frozen=True)
class Series:
    """One line: points as (day index, value); consecutive points in a segment are joined."""

    segments: list[list[tuple[int, float]]]
    colour: str = "#0b5cad"
    dash: str | None = None  # an SVG stroke-dasharray, to tell lines apart without colour


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
    for line in series:
        colour = quoteattr(line.colour)
        dash = f" stroke-dasharray={quoteattr(line.dash)}" if line.dash else ""
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
    tick_x = WIDTH - 4 if rtl else 4
    anchor = "end" if rtl else "start"
    for tick in (y_min, y_max):
        label = f"{tick:g}"
        parts.append(
            f'<text x="{tick_x}" y="{y(tick) + 4}" font-size="11" fill="#4a5260"'
            f' text-anchor="{anchor}">{escape(label)}</text>'
        )
    first_x, last_x = (WIDTH - RIGHT, LEFT) if rtl else (LEFT, WIDTH - RIGHT)
    for pos, label, align in (
        (first_x, text.first_label, "end" if rtl else "start"),
        (last_x, text.last_label, "start" if rtl else "end"),
    ):
        parts.append(
            f'<text x="{pos}" y="{HEIGHT - 6}" font-size="11" fill="#4a5260"'
            f" text-anchor={quoteattr(align)}>{escape(label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above
