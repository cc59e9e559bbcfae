"""The catalogue of prompt kinds: one `PromptKind` per `PromptPurpose`, each declared by the
feature that owns the task (in its `hooks.py`, answering `app.signals.prompt_kinds`).

A kind holds everything Heed needs to prompt for one purpose: the SMS body, the source that says
when prompts are due, the completion check that skips done tasks, where the one-time link lands,
which pages the link's task-only session may open, and (for at most one purpose) the questions
answered by SMS reply. `init_app` collects the kinds once at startup and refuses to start when a
purpose has no kind, two kinds, or a kind missing a part: a forgotten piece fails loudly, not
silently at 19:30.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Protocol

from flask import Flask, current_app

from app.prompts.models import PromptPurpose
from app.prompts.planning import PlannedPrompt
from app.signals import prompt_kinds

EXTENSION = "heed.prompt_kinds"

# A prompt's task: (recipient_id, target, local_date).
TaskKey = tuple[uuid.UUID, str, date]
# Given many tasks of one purpose, returns those already done (batched: one query per date).
CompletionCheck = Callable[[Collection[TaskKey]], set[TaskKey]]


class PromptSource(Protocol):
    """Yields the prompts that may be due around `now` (the planner dedupes and applies quiet
    hours). Two kinds may share one source object; the planner runs it once."""

    name: str

    def due_prompts(self, now: datetime) -> Iterable[PlannedPrompt]: ...


@dataclass(frozen=True)
class TaskGrant:
    """What a redeemed one-time link opens: exactly one task of one person."""

    user_id: uuid.UUID
    patient_id: uuid.UUID
    purpose: PromptPurpose
    target: str
    local_date: date
    expires_at: datetime


@dataclass(frozen=True)
class QuickQuestion:
    """One question of an SMS conversation, answered with a whole number in [low, high]."""

    key: str
    low: int
    high: int
    text: Callable[[], str]


@dataclass(frozen=True)
class Conversation:
    """Questions a recipient who opted in to SMS replies answers one at a time after the prompt.

    `body(link, first_question)` replaces the kind's body for those recipients; `save(patient_id,
    local_date, answers)` stores the answers (None = not answered, never zero) and flushes."""

    questions: tuple[QuickQuestion, ...]
    body: Callable[[str, str], str]
    save: Callable[[uuid.UUID, date, dict[str, int | None]], None]


@dataclass(frozen=True)
class PromptKind:
    purpose: PromptPurpose
    # link -> the SMS text (rendered in the recipient's locale; no names, symptoms or scores).
    body: Callable[[str], str]
    source: PromptSource
    completed: CompletionCheck
    # grant -> URL of the task page the link lands on (None: the generic task page).
    landing: Callable[[TaskGrant], str | None]
    # (grant, endpoint, view_args) -> may the task-only session open this request?
    pages: Callable[[TaskGrant, str, Mapping[str, Any]], bool]
    conversation: Conversation | None = None


def target_pages(
    endpoints: Collection[str], target_arg: str
) -> Callable[[TaskGrant, str, Mapping[str, Any]], bool]:
    """A kind's `pages` when its task pages name the patient and the task's target in the URL
    (`/patients/<patient_id>/.../<target_arg>`)."""

    def pages(grant: TaskGrant, endpoint: str, view_args: Mapping[str, Any]) -> bool:
        return (
            endpoint in endpoints
            and view_args.get("patient_id") == str(grant.patient_id)
            and view_args.get(target_arg) == grant.target
        )

    return pages


REQUIRED = tuple(field.name for field in fields(PromptKind) if field.name != "conversation")


class PromptKindError(RuntimeError):
    """The kinds declared by the features do not cover every purpose exactly once."""


class Catalogue:
    """The kinds of one app, by purpose (built once by `init_app`, read-only afterwards)."""

    def __init__(self, kinds: Iterable[PromptKind]) -> None:
        self.kinds: dict[PromptPurpose, PromptKind] = {}
        problems: list[str] = []
        for kind in kinds:
            if kind.purpose in self.kinds:
                problems.append(f"{kind.purpose.value}: declared twice")
            missing = [name for name in REQUIRED if getattr(kind, name, None) is None]
            if missing:
                problems.append(f"{kind.purpose.value}: missing {', '.join(missing)}")
            self.kinds.setdefault(kind.purpose, kind)
        problems += [f"{p.value}: no kind declared" for p in PromptPurpose if p not in self.kinds]
        talking = [k.purpose.value for k in self.kinds.values() if k.conversation is not None]
        if len(talking) > 1:
            # sms_conversations keeps one conversation per person and local day, without a purpose.
            problems.append(f"only one kind may hold an SMS conversation: {', '.join(talking)}")
        if problems:
            raise PromptKindError("prompt kinds: " + "; ".join(problems))
        self.kinds = {purpose: self.kinds[purpose] for purpose in PromptPurpose}

    def kind(self, purpose: PromptPurpose) -> PromptKind:
        return self.kinds[purpose]

    def sources(self) -> Iterator[PromptSource]:
        """Each distinct source once (the questionnaire source serves two purposes)."""
        seen: set[int] = set()
        for kind in self.kinds.values():
            if id(kind.source) not in seen:
                seen.add(id(kind.source))
                yield kind.source

    def completed(self, purpose: PromptPurpose, keys: Collection[TaskKey]) -> set[TaskKey]:
        """The tasks among `keys` that are already done."""
        return self.kinds[purpose].completed(keys) if keys else set()

    def is_complete(
        self, purpose: PromptPurpose, recipient_id: uuid.UUID, target: str, day: date
    ) -> bool:
        key = (recipient_id, target, day)
        return key in self.completed(purpose, [key])

    def landing(self, grant: TaskGrant) -> str | None:
        return self.kinds[grant.purpose].landing(grant)

    def covers(self, grant: TaskGrant, endpoint: str, view_args: Mapping[str, Any]) -> bool:
        return self.kinds[grant.purpose].pages(grant, endpoint, view_args)

    def conversation(self) -> Conversation | None:
        """The one SMS conversation (the quick diary), if a kind declares it."""
        return next((k.conversation for k in self.kinds.values() if k.conversation), None)


def collect(app: Flask) -> Catalogue:
    """Ask every feature for its kinds (`app.signals.prompt_kinds`) and check them."""
    return Catalogue(kind for _receiver, kinds in prompt_kinds.send(app) for kind in kinds or ())


def init_app(app: Flask) -> None:
    """Called last in `create_app`, after every feature's hooks are connected."""
    app.extensions[EXTENSION] = collect(app)


def catalogue() -> Catalogue:
    return current_app.extensions[EXTENSION]
