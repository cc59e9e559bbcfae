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
