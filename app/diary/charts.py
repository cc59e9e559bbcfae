"""Server-rendered SVG line charts. Pure: values and already-localized text in, markup out.

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


def _segments(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    segments: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append((index, value))
    if current:
        segments.append(current)
    return segments


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
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max(len(values) - 1, 1)

    def x(index: int) -> float:
        return round(LEFT + plot_w * index / span, 1)

    def y(value: float) -> float:
        clamped = min(max(value, y_min), y_max)
        return round(TOP + plot_h * (1 - (clamped - y_min) / (y_max - y_min)), 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' class="chart" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(text.title)}</title>',
        f'<desc id="{chart_id}-d">{escape(text.description)}</desc>',
    ]
    mirror = f' transform="translate({WIDTH} 0) scale(-1 1)"' if rtl else ""
    parts.append(f'<g class="plot"{mirror}>')
    for tick in (y_min, (y_min + y_max) / 2, y_max):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick)}" y2="{y(tick)}"'
            ' stroke="#c9ced6" stroke-width="1"/>'
        )
    for segment in _segments(values):
        if len(segment) == 1:
            index, value = segment[0]
            parts.append(f'<circle cx="{x(index)}" cy="{y(value)}" r="2.5" fill="#0b5cad"/>')
            continue
        points = " ".join(f"{x(i)},{y(v)}" for i, v in segment)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="#0b5cad" stroke-width="2"'
            ' stroke-linejoin="round" stroke-linecap="round"/>'
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
