"""Compare two care-plan versions: pure, no database, no translation.

The result is a list of rows (added / removed / changed) per section and field. Free-text
fields also carry word-level segments from difflib so a template can mark insertions and
deletions. Goals and interventions are matched by their stable ids.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from app.careplan.content import Goal, Intervention, PlanContent

TEXT_SECTIONS = ("hypotheses", "escalation", "crisis_plan")
GOAL_FIELDS = ("what", "owner", "measure", "due")
INTERVENTION_FIELDS = ("what", "discipline")
_TOKENS = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class Row:
    section: str
    change: str  # "added", "removed" or "changed"
    field: str
    before: Any = None
    after: Any = None
    item_id: str | None = None
    item_label: str = ""
    segments: tuple[Segment, ...] = ()


def text_segments(before: str, after: str) -> tuple[Segment, ...]:
    """Word-level differences; whitespace is kept so the text reads as written."""
    old, new = _TOKENS.split(before), _TOKENS.split(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    segments: list[Segment] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            segments.append(Segment("delete", "".join(old[a1:a2])))
        if b2 > b1:
            segments.append(Segment("insert", "".join(new[b1:b2])))
    return tuple(s for s in segments if s.text)


def _text_row(section: str, before: str, after: str) -> Row | None:
    if before == after:
        return None
    change = "added" if not before else "removed" if not after else "changed"
    return Row(section, change, "text", before, after, segments=text_segments(before, after))


def _items(
    section: str,
    old: tuple[Goal, ...] | tuple[Intervention, ...],
    new: tuple[Goal, ...] | tuple[Intervention, ...],
    fields: tuple[str, ...],
) -> list[Row]:
    rows: list[Row] = []
    old_by_id = {item.id: item for item in old}
    new_ids = {item.id for item in new}
    for item in new:
        previous = old_by_id.get(item.id)
        if previous is None:
            rows.append(Row(section, "added", "item", None, item, item.id, item.what))
            continue
        for name in fields:
            before, after = getattr(previous, name), getattr(item, name)
            if before == after:
                continue
            segments = text_segments(before, after) if name == "what" else ()
            rows.append(Row(section, "changed", name, before, after, item.id, item.what, segments))
    for item in old:
        if item.id not in new_ids:
            rows.append(Row(section, "removed", "item", item, None, item.id, item.what))
    return rows


def compare(old: PlanContent, new: PlanContent) -> list[Row]:
    """Rows in reading order: hypotheses, goals, interventions, escalation, crisis plan."""
    rows: list[Row] = []
    hypotheses = _text_row("hypotheses", old.hypotheses, new.hypotheses)
    if hypotheses:
        rows.append(hypotheses)
    rows += _items("goals", old.goals, new.goals, GOAL_FIELDS)
    rows += _items("interventions", old.interventions, new.interventions, INTERVENTION_FIELDS)
    for section in ("escalation", "crisis_plan"):
        row = _text_row(section, getattr(old, section), getattr(new, section))
        if row:
            rows.append(row)
    return rows
