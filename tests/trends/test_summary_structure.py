"""The pre-visit summary is reads → pure analytics → charts: a typed, immutable Summary with
no `Any`, analytics over plain objects (no database), and no reach into the diary's views or
private helpers; the SVG builder is the shared one in app/web/charts.py."""

from __future__ import annotations

import ast
import dataclasses
import typing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from app.careteam.models import Patient
from app.db import db
from app.diary.models import ActivityBlock, ActivityKind, DiaryEntry, SymptomRating
from app.trends import summary, summary_analytics
from app.trends.summary import Summary

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TRENDS = Path(summary.__file__).parent


def test_summary_is_frozen_typed_and_free_of_any():
    hints = typing.get_type_hints(Summary)
    assert "Any" not in repr(hints)
    assert Summary.__dataclass_params__.frozen  # type: ignore[attr-defined]
    for name, hint in hints.items():
        assert typing.get_origin(hint) is not list, name


def test_trends_imports_no_diary_views_nor_private_helpers():
    for path in TRENDS.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module not in {"app.diary.pages", "app.diary.charts"}, path.name
                if node.module.startswith("app.") and not node.module.startswith("app.trends"):
                    private = [a.name for a in node.names if a.name.startswith("_")]
                    assert not private, (path.name, node.module, private)
    for module in ("app/diary/pages.py", "app/trends/charts.py"):
        source = (TRENDS.parent.parent / module).read_text()
        assert "from app.web.charts import" in source, module


def _entry(day: date, *, overall=None, pain=None, walk=None) -> DiaryEntry:
    entry = DiaryEntry(local_date=day, overall_symptoms=overall)
    entry.symptoms = [SymptomRating(symptom_key="pain", score=pain)] if pain is not None else []
    entry.activities = (
        [ActivityBlock(kind=ActivityKind.PHYSICAL, done_minutes=walk)] if walk is not None else []
    )
    return entry


def test_diary_trends_is_pure_and_keeps_gaps():
    days = [date(2026, 11, 1) + timedelta(days=n) for n in range(4)]
    loaded = [
        _entry(days[0], overall=3, pain=4, walk=20),
        _entry(days[2], pain=6),  # no overall rating: the day's level is the worst symptom
        _entry(days[3], overall=5, walk=0),
    ]
    trends = summary_analytics.diary_trends(
        loaded, days=days, symptom_keys=["pain"], enrolled_on=days[0], today=days[-1]
    )
    series = {s.key: s.values for s in trends.series}
    assert series["overall"] == (3, None, 6, 5)
    assert series["symptom-pain"] == (4, None, 6, None)
    assert series["mood"] == (None, None, None, None)
    activity = {s.key: s.values for s in trends.activity}
    assert activity["physical"] == (20, None, None, 0)
    assert (trends.adherence.recorded, trends.adherence.total) == (3, 4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        trends.rise_on = days[0]  # type: ignore[misc]


@time_machine.travel(NOW, tick=False)
def test_built_summary_cannot_be_changed(app, make):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    with app.test_request_context():
        built = summary.build(db.session.get(Patient, patient.id), code="30", now=NOW)
    assert built.period.code == "30"
    assert isinstance(built.charts, tuple) and built.charts
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.flags = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        built.symptom_labels["pain"] = "x"  # type: ignore[index]
