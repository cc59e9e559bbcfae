"""The harness's pure pieces: percentiles, result tables, seed planning (no database, no HTTP)."""

from __future__ import annotations

import itertools
import json
import random
from datetime import date, timedelta

import pytest

from bench import population, report
from bench.population import Population
from bench.stats import percentile, ratio, summarize


def test_percentile_interpolates_between_closest_ranks():
    values = [10, 20, 30, 40, 50]
    assert percentile(values, 50) == 30
    assert percentile(values, 0) == 10
    assert percentile(values, 100) == 50
    assert percentile(values, 95) == pytest.approx(48)
    assert percentile([7], 99) == 7
    assert percentile([], 50) is None
    assert percentile([3, 1, 2], 50) == 2  # order does not matter
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile(values, 101)


def test_summarize_reports_rate_and_percentiles_in_ms():
    summary = summarize([0.010] * 90 + [0.100] * 10, errors=2, seconds=10)
    assert summary.count == 100
    assert summary.rps == 10
    assert summary.p50_ms == pytest.approx(10)
    assert summary.p99_ms == pytest.approx(100)
    assert summary.as_dict()["errors"] == 2
    assert ratio(50, 100) == 0.5
    assert ratio(None, 100) is None
    assert ratio(5, 0) is None


def test_table_shows_each_figure_with_target_and_verdict():
    runs = [
        {"db": "postgresql", "figures": {"diary_p95_ms": 80.0, "worker_rss_mb": 250.0},
         "notes": {"summary_3y_median_ms": report.NOT_AVAILABLE}, "remarks": ["a remark"]},
        {"db": "sqlite", "figures": {"diary_p95_ms": 120.0}, "notes": {}},
    ]  # fmt: skip
    table = report.render_table(runs, heading="Run", machine="2 cores, 4 GB")
    assert "Machine: 2 cores, 4 GB" in table
    assert "| figure | postgresql | sqlite | target | |" in table
    p95 = next(line for line in table.splitlines() if "Diary POST p95" in line)
    assert "| 80 | 120 | < 100 ms | **missed** |" in p95
    rss = next(line for line in table.splitlines() if "peak RSS" in line)
    assert "250 | n/a | < 200 MB | **missed**" in rss
    assert "n/a (not available on this build)" in table
    assert "Seed" not in table  # figures nobody measured are left out
    assert "- a remark" in table


def test_figure_targets():
    figures = {f.key: f for f in report.FIGURES}
    assert figures["diary_ceiling_ratio"].met(0.5) is True
    assert figures["summary_ratio"].met(2.01) is False
    assert figures["dispatch_duplicates"].met(0) is True
    assert figures["plan_tick_seconds"].met(None) is None
    assert figures["dispatch_4_mps"].target_text() == ">= 200 msg/s"


def test_results_file_and_readme_append(tmp_path):
    run = {"db": "sqlite", "date": "2026-11-21", "figures": {"seed_seconds": 1.5}}
    path = report.write_result(tmp_path / "results", run)
    assert path.name == "2026-11-21-sqlite.json"
    assert json.loads(path.read_text())["figures"]["seed_seconds"] == 1.5
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nIntro.\n")
    report.append_readme(readme, "### Run 1\n")
    report.append_readme(readme, "### Run 2\n")
    text = readme.read_text()
    assert text.startswith("# Benchmarks\n\nIntro.")
    assert text.index("### Run 1") < text.index("### Run 2")
    assert text.count("results below are appended") == 1


def test_seed_plan_for_a_tiny_population():
    pop = Population(diary_patients=6, recipients=20, upcoming_patients=3, clinicians=5,
                     history_days=60)  # fmt: skip
    teams = [population.team_for(i, pop) for i in range(pop.diary_patients)]
    assert all(len(set(team)) == pop.team_size for team in teams)
    assert all(team[0] == 0 for team in teams[:3])  # clinician 0 follows the first three
    assert all(0 not in team for team in teams[3:])
    assert len({population.phone_for(i) for i in range(pop.recipients)}) == pop.recipients
    assert {population.zone_for(i, pop) for i in range(pop.recipients)} == set(pop.zones[:20])
    rows = population.estimate_rows(pop)
    assert rows["patients"] == 20
    assert rows["upcoming_appointments"] == 3
    with pytest.raises(ValueError, match="subset"):
        Population(diary_patients=2, upcoming_patients=3)


def test_diary_days_miss_some_days_and_stay_in_range():
    end = date(2026, 11, 20)
    days = population.diary_days(random.Random(1), end=end, days=730, missing_rate=0.15)
    assert days == sorted(set(days))
    assert days[0] >= end - timedelta(days=729)
    assert days[-1] <= end
    assert 0.6 * 730 < len(days) < 0.95 * 730
    dates = population.questionnaire_dates(end=end, days=730, every=14)
    assert len(dates) == 53
    assert all((b - a).days == 14 for a, b in itertools.pairwise(dates))


def test_twenty_distinct_time_zones():
    assert len(set(population.ZONES)) == 20


def test_profile_groups_frames_by_package():
    from bench.profile import _group

    site = "/work/.venv/lib/python3.11/site-packages"
    assert _group(f"{site}/sqlalchemy/orm/session.py") == "SQLAlchemy"
    assert _group(f"{site}/flask_login/utils.py") == "Flask-Login"
    assert _group(f"{site}/flask/app.py") == "Flask"
    assert _group("/work/main/app/diary/services.py") == "heed (app/)"
    assert _group("~") == "builtins (C calls)"
    assert _group("/usr/lib/python3.11/uuid.py").startswith("other")
