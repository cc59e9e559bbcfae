"""The referral status machine (FHIR SDOH Clinical Care, TaskForReferralManagement). Pure.

The requester (the referring side: the referrer, the patient's care team, the clinic's
coordinators) sends a draft and may cancel; the receiver (the clinician or discipline referred
to, or the outside service through its link) accepts or rejects, reports progress and closes
with completed or failed. Rejecting and failing need a reason; completing needs an outcome.
"""

from __future__ import annotations

from enum import StrEnum

from app.referrals.models import Status


class Party(StrEnum):
    REQUESTER = "requester"
    RECEIVER = "receiver"


# (from, to) -> who may make the change
TRANSITIONS: dict[tuple[Status, Status], frozenset[Party]] = {
    (Status.DRAFT, Status.REQUESTED): frozenset({Party.REQUESTER}),
    (Status.DRAFT, Status.CANCELLED): frozenset({Party.REQUESTER}),
    (Status.REQUESTED, Status.ACCEPTED): frozenset({Party.RECEIVER}),
    (Status.REQUESTED, Status.REJECTED): frozenset({Party.RECEIVER}),
    (Status.REQUESTED, Status.CANCELLED): frozenset({Party.REQUESTER}),
    (Status.ACCEPTED, Status.IN_PROGRESS): frozenset({Party.RECEIVER}),
    (Status.ACCEPTED, Status.COMPLETED): frozenset({Party.RECEIVER}),
    (Status.ACCEPTED, Status.FAILED): frozenset({Party.RECEIVER}),
    (Status.ACCEPTED, Status.CANCELLED): frozenset({Party.REQUESTER, Party.RECEIVER}),
    (Status.IN_PROGRESS, Status.COMPLETED): frozenset({Party.RECEIVER}),
    (Status.IN_PROGRESS, Status.FAILED): frozenset({Party.RECEIVER}),
    (Status.IN_PROGRESS, Status.CANCELLED): frozenset({Party.REQUESTER, Party.RECEIVER}),
}

CLOSED = frozenset({Status.REJECTED, Status.COMPLETED, Status.FAILED, Status.CANCELLED})
OPEN = frozenset(Status) - CLOSED - {Status.DRAFT}
"""Sent and not yet closed: what the registry counts as open."""
ANSWERED = frozenset({Status.ACCEPTED, Status.REJECTED, Status.IN_PROGRESS, Status.COMPLETED})
"""A first response from the receiver (time to first response ends at the first of these)."""
NEEDS_REASON = frozenset({Status.REJECTED, Status.FAILED})
NEEDS_OUTCOME = frozenset({Status.COMPLETED})


class Refused(ValueError):
    """The change is not allowed; `code` says why (the view words it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def allowed_next(current: Status, party: Party) -> list[Status]:
    """The statuses `party` may move a referral in `current` to, in machine order."""
    return [to for (frm, to), parties in TRANSITIONS.items() if frm == current and party in parties]


def check(current: Status, new: Status, party: Party, *, note: str | None) -> None:
    """Raise Refused("forbidden" | "reason_required" | "outcome_required") or return."""
    parties = TRANSITIONS.get((current, new))
    if parties is None or party not in parties:
        raise Refused("forbidden")
    if new in NEEDS_REASON and not (note or "").strip():
        raise Refused("reason_required")
    if new in NEEDS_OUTCOME and not (note or "").strip():
        raise Refused("outcome_required")
