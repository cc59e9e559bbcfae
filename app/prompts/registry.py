"""Hooks for other features: prompt sources and completion checks.

The questionnaire feature registers "questionnaire due / closing" sources and the
follow-up feature a "pre-visit check-in" source at merge, e.g. in their
`init_app`: ``register_source(QuestionnairePrompts())``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from typing import Protocol

from app.prompts.models import PromptPurpose
from app.prompts.planning import PlannedPrompt


class PromptSource(Protocol):
    """Yields the prompts that may be due around `now` (the planner dedupes and applies quiet hours)."""

    name: str

    def due_prompts(self, now: datetime) -> Iterable[PlannedPrompt]: ...


# A prompt's task: (recipient_id, target, local_date).
TaskKey = tuple[uuid.UUID, str, date]
# Given many tasks of one purpose, returns those already done (batched: one query per date).
CompletionCheck = Callable[[Collection[TaskKey]], set[TaskKey]]

_sources: dict[str, PromptSource] = {}
_completion_checks: dict[PromptPurpose, CompletionCheck] = {}


def register_source(source: PromptSource) -> None:
    _sources[source.name] = source


def unregister_source(name: str) -> None:
    _sources.pop(name, None)


def sources() -> list[PromptSource]:
    return list(_sources.values())


def register_completion_check(purpose: PromptPurpose, check: CompletionCheck) -> None:
    """Planner and dispatcher skip a prompt whose task is complete (e.g. today's diary saved)."""
    _completion_checks[purpose] = check


def unregister_completion_check(purpose: PromptPurpose) -> None:
    _completion_checks.pop(purpose, None)


def completed(purpose: PromptPurpose, keys: Collection[TaskKey]) -> set[TaskKey]:
    """The tasks among `keys` that are already done (none if the purpose has no check)."""
    check = _completion_checks.get(purpose)
    if check is None or not keys:
        return set()
    return check(keys)


def is_complete(purpose: PromptPurpose, recipient_id: uuid.UUID, target: str, day: date) -> bool:
    key = (recipient_id, target, day)
    return key in completed(purpose, [key])
