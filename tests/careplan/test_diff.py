"""Comparing two versions: added, removed and changed rows; word-level text differences."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.auth.models import Discipline
from app.careplan.content import Goal, Intervention, Measure, PlanContent, new_id
from app.careplan.diff import Segment, compare, text_segments

SLEEP = Goal(new_id(), "Sleep better", Discipline.PRIMARY_CARE, Measure("free_text", text="diary"))
WALK = Goal(
    new_id(),
    "Walk again",
    Discipline.PHYSIOTHERAPY,
    Measure("activity_minutes_days_per_week", "physical", 20, 5),
    date(2027, 1, 1),
)
CBT = Intervention(new_id(), "CBT sessions", Discipline.PSYCHOLOGY)
BASE = PlanContent(
    hypotheses="Pain worse after poor sleep.",
    goals=(SLEEP, WALK),
    interventions=(CBT,),
    escalation="Psychiatry if PHQ-9 rises.",
    crisis_plan="Use the crisis resources your clinic gave you.",
)


def test_identical_versions_have_no_rows():
    assert compare(BASE, BASE) == []


def test_free_text_change_has_word_segments():
    new = replace(BASE, hypotheses="Pain worse after short sleep.")
    (row,) = compare(BASE, new)
    assert (row.section, row.change, row.field) == ("hypotheses", "changed", "text")
    assert Segment("delete", "poor") in row.segments
    assert Segment("insert", "short") in row.segments
    assert "".join(s.text for s in row.segments if s.op != "delete") == new.hypotheses
    assert "".join(s.text for s in row.segments if s.op != "insert") == BASE.hypotheses


def test_text_added_and_removed():
    (added,) = compare(replace(BASE, escalation=""), BASE)
    assert added.change == "added"
    (removed,) = compare(BASE, replace(BASE, crisis_plan=""))
    assert (removed.section, removed.change) == ("crisis_plan", "removed")


def test_goals_are_matched_by_id_field_by_field():
    moved = replace(WALK, what="Walk again, gently", due=date(2027, 2, 1))
    new_goal = Goal(new_id(), "Back to work", Discipline.SOCIAL_WORK)
    rows = compare(BASE, replace(BASE, goals=(moved, new_goal)))
    summary = [(r.section, r.change, r.field, r.item_id) for r in rows]
    assert summary == [
        ("goals", "changed", "what", WALK.id),
        ("goals", "changed", "due", WALK.id),
        ("goals", "added", "item", new_goal.id),
        ("goals", "removed", "item", SLEEP.id),
    ]
    due = rows[1]
    assert (due.before, due.after) == (date(2027, 1, 1), date(2027, 2, 1))


def test_measure_and_owner_changes():
    changed = replace(
        WALK,
        owner=Discipline.OCCUPATIONAL_THERAPY,
        measure=Measure("activity_minutes_days_per_week", "physical", 10, 5),
    )
    rows = compare(BASE, replace(BASE, goals=(SLEEP, changed)))
    assert [(r.field, r.before, r.after) for r in rows] == [
        ("owner", Discipline.PHYSIOTHERAPY, Discipline.OCCUPATIONAL_THERAPY),
        ("measure", WALK.measure, changed.measure),
    ]


def test_interventions_added_removed_and_reassigned():
    reassigned = replace(CBT, discipline=Discipline.PSYCHIATRY)
    rows = compare(BASE, replace(BASE, interventions=(reassigned,)))
    assert [(r.section, r.field) for r in rows] == [("interventions", "discipline")]
    rows = compare(BASE, replace(BASE, interventions=()))
    assert [(r.change, r.before) for r in rows] == [("removed", CBT)]


def test_rows_follow_reading_order():
    new = replace(
        BASE,
        hypotheses="x",
        goals=(SLEEP,),
        interventions=(),
        escalation="y",
        crisis_plan="z",
    )
    assert [r.section for r in compare(BASE, new)] == [
        "hypotheses",
        "goals",
        "interventions",
        "escalation",
        "crisis_plan",
    ]


def test_text_segments_keep_whitespace_and_newlines():
    segments = text_segments("a b\nc", "a b\nc d")
    assert "".join(s.text for s in segments if s.op != "delete") == "a b\nc d"
