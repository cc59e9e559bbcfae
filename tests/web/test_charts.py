"""The pure SVG builder: gaps for missing days, escaped text, mirrored plot for RTL."""

from __future__ import annotations

from app.web.charts import ChartText, line_chart

TEXT = ChartText(
    title="Pain <0-10>", description="3 of 6 days", first_label="1 Nov", last_label="6 Nov"
)


def test_missing_days_break_the_line():
    svg = str(line_chart([1, 2, None, 4, None, 6], text=TEXT, chart_id="c"))
    assert svg.count("<polyline") == 1  # days 1-2
    assert svg.count("<circle") == 2  # lone days 4 and 6
    assert 'role="img"' in svg and 'aria-labelledby="c-t c-d"' in svg
    assert "Pain &lt;0-10&gt;" in svg
    assert "style=" not in svg


def test_zero_is_drawn_not_treated_as_missing():
    svg = str(line_chart([0, 0, 0], text=TEXT, chart_id="z"))
    assert svg.count("<polyline") == 1


def test_nothing_recorded_draws_no_line():
    svg = str(line_chart([None] * 30, text=TEXT, chart_id="n"))
    assert "<polyline" not in svg and "<circle" not in svg


def test_rtl_mirrors_the_plot_but_not_the_text():
    svg = str(line_chart([1, 2, 3], text=TEXT, chart_id="r", rtl=True))
    assert '<g class="plot" transform="translate(340 0) scale(-1 1)">' in svg
    assert svg.index("</g>") < svg.index("<text")


def test_text_says_its_direction_and_grows_into_the_chart():
    """Arabic labels were clipped: anchored "end" at the right edge, right-to-left text grew
    past the viewBox. Each label now carries its direction and starts at the chart's edge."""
    from app.web.charts import LEFT, RIGHT, WIDTH

    rtl = str(line_chart([1, 2, 3], text=TEXT, chart_id="r", rtl=True))
    assert rtl.count('direction="rtl"') == 4 and 'direction="ltr"' not in rtl
    # The oldest day's date sits at the right end of the mirrored plot and grows leftwards
    # (start of right-to-left text); the newest day's at the left end grows rightwards.
    assert (
        f'x="{WIDTH - LEFT}" y="164" font-size="11" fill="#4a5260" direction="rtl" text-anchor="start">1 Nov'
        in rtl
    )
    assert (
        f'x="{RIGHT}" y="164" font-size="11" fill="#4a5260" direction="rtl" text-anchor="end">6 Nov'
        in rtl
    )
    ltr = str(line_chart([1, 2, 3], text=TEXT, chart_id="l"))
    assert ltr.count('direction="ltr"') == 4
    assert (
        f'x="{LEFT}" y="164" font-size="11" fill="#4a5260" direction="ltr" text-anchor="start">1 Nov'
        in ltr
    )


def test_daily_points_average_line_and_events():
    from app.web.charts import Event, Series, rolling_mean, segments, svg_chart

    values = [1, 2, None, 4, 5, 6, 7, None, 9, 10]
    svg = str(
        svg_chart(
            [Series(segments(values), points_only=True), Series(segments(rolling_mean(values)))],
            length=len(values),
            text=TEXT,
            chart_id="e",
            events=[
                Event(2, "visit"),
                Event(5, "plan"),
                Event(7, "score", "#a4161a"),
                Event(99, "visit"),
            ],
        )
    )
    assert svg.count('class="day-point"') == 8  # every recorded day, none for the gaps
    assert svg.count("<polyline") == 1
    assert svg.count('class="event-visit"') == 1  # the one outside the period is left out
    assert svg.count('class="event-plan"') == 1
    assert svg.count('class="event-score"') == 1 and 'fill="#a4161a"' in svg
