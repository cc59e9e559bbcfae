"""Hooks other packages register to feed pathway metrics this package cannot compute itself.

The SMS package (merged separately) registers its prompt counts at init_app time::

    from app.trends import metrics_sources

    def prompt_counts(clinic_id, start, end):
        # prompts sent to the clinic's patients in [start, end] and how many were answered
        return metrics_sources.PromptCounts(sent=..., answered=...)

    metrics_sources.register_sms_counts(prompt_counts)

`app/sms/metrics.py` registers it; without a provider the page says the rate is not available.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PromptCounts:
    sent: int
    answered: int


SmsCounts = Callable[[uuid.UUID, datetime, datetime], PromptCounts]
_sms_counts: list[SmsCounts] = []


def register_sms_counts(provider: SmsCounts) -> None:
    """Register (or replace) the provider of SMS prompt counts."""
    _sms_counts[:] = [provider]


def unregister_sms_counts() -> None:
    _sms_counts.clear()


def sms_counts(clinic_id: uuid.UUID, start: datetime, end: datetime) -> PromptCounts | None:
    """The registered provider's counts, or None when no SMS package is installed."""
    if not _sms_counts:
        return None
    return _sms_counts[0](clinic_id, start, end)
