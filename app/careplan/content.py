"""The care-plan document stored in each version: typed, validated, JSON round-trippable.

Goals and interventions carry stable ids (UUID strings) so that progress and diffs can follow
the same goal from one version to the next.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from app.auth.models import Discipline

HYPOTHESES_MAX = 4000
ESCALATION_MAX = 4000
CRISIS_PLAN_MAX = 4000
GOAL_WHAT_MAX = 300
MEASURE_TEXT_MAX = 300
INTERVENTION_MAX = 500
COMMENT_MAX = 2000
MAX_GOALS = 12
MAX_INTERVENTIONS = 20


@dataclass(frozen=True)
class Measure:
    """How a goal's progress is measured: a kind from app.careplan.measures and its parameters."""

    kind: str = "free_text"
    subject: str | None = None  # instrument id, activity kind or symptom code
    amount: float | None = None  # hours of sleep, minutes of activity
    target: float | None = None  # threshold, days per week, maximum rating
    text: str = ""  # the measure in the team's words (free-text goals)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "amount": self.amount,
            "target": self.target,
            "text": self.text,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Measure:
        return cls(
            kind=str(data.get("kind") or "free_text"),
            subject=data.get("subject"),
            amount=_number(data.get("amount")),
            target=_number(data.get("target")),
            text=str(data.get("text") or ""),
        )


@dataclass(frozen=True)
class Goal:
    id: str
    what: str
    owner: Discipline
    measure: Measure = field(default_factory=Measure)
    due: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "what": self.what,
            "owner": self.owner.value,
            "measure": self.measure.to_json(),
            "due": self.due.isoformat() if self.due else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Goal:
        due = data.get("due")
        return cls(
            id=str(data["id"]),
            what=str(data.get("what") or ""),
            owner=Discipline(data["owner"]),
            measure=Measure.from_json(data.get("measure") or {}),
            due=date.fromisoformat(due) if due else None,
        )


@dataclass(frozen=True)
class Intervention:
    id: str
    what: str
    discipline: Discipline

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "what": self.what, "discipline": self.discipline.value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Intervention:
        return cls(
            id=str(data["id"]),
            what=str(data.get("what") or ""),
            discipline=Discipline(data["discipline"]),
        )


@dataclass(frozen=True)
class PlanContent:
    hypotheses: str = ""
    goals: tuple[Goal, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    escalation: str = ""
    crisis_plan: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "hypotheses": self.hypotheses,
            "goals": [goal.to_json() for goal in self.goals],
            "interventions": [item.to_json() for item in self.interventions],
            "escalation": self.escalation,
            "crisis_plan": self.crisis_plan,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> PlanContent:
        data = data or {}
        return cls(
            hypotheses=str(data.get("hypotheses") or ""),
            goals=tuple(Goal.from_json(g) for g in data.get("goals") or ()),
            interventions=tuple(Intervention.from_json(i) for i in data.get("interventions") or ()),
            escalation=str(data.get("escalation") or ""),
            crisis_plan=str(data.get("crisis_plan") or ""),
        )

    def with_ids(self) -> PlanContent:
        """Keep each row's id (stable across versions); give blank, malformed or repeated ids
        a fresh one."""
        seen: set[str] = set()

        def fresh(current: str) -> str:
            keep = _is_uuid(current) and current not in seen
            chosen = current if keep else new_id()
            seen.add(chosen)
            return chosen

        return replace(
            self,
            goals=tuple(replace(g, id=fresh(g.id)) for g in self.goals),
            interventions=tuple(replace(i, id=fresh(i.id)) for i in self.interventions),
        )


def new_id() -> str:
    return str(uuid.uuid4())


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except (ValueError, TypeError, AttributeError):
        return False


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    return float(value)
