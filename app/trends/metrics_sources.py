"""Pathway metrics this package cannot compute itself: `app.signals.prompt_counts_requested`.

The prompts/SMS side connects a receiver returning how many prompts went to a clinic's
patients in a window and how many were answered (`register_sms_counts` is the sugar it
uses); without a receiver the page says the rate is not available.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.signals import ask_last, prompt_counts_requested


@dataclass(frozen=True)
class PromptCounts:
    sent: int
    answered: int


SmsCounts = Callable[[uuid.UUID, datetime, datetime], PromptCounts]


def register_sms_counts(provider: SmsCounts) -> None:
    """Connect `provider(clinic_id, start, end)` to `prompt_counts_requested`."""
    prompt_counts_requested.connect(provider, weak=False)


def sms_counts(clinic_id: uuid.UUID, start: datetime, end: datetime) -> PromptCounts | None:
    """The last connected receiver's counts, or None when nothing provides them."""
    answered, counts = ask_last(prompt_counts_requested, clinic_id, start=start, end=end)
    return counts if answered else None
