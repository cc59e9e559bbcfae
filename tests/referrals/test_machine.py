"""The referral status machine (pure): who may make which change, what each change needs."""

from __future__ import annotations

import pytest

from app.referrals.labels import patient_word
from app.referrals.machine import Party, Refused, allowed_next, check
from app.referrals.models import PatientAnswer, Status


def test_the_requester_sends_and_cancels_the_receiver_answers():
    assert allowed_next(Status.DRAFT, Party.REQUESTER) == [Status.REQUESTED, Status.CANCELLED]
    assert allowed_next(Status.REQUESTED, Party.RECEIVER) == [Status.ACCEPTED, Status.REJECTED]
    assert allowed_next(Status.REQUESTED, Party.REQUESTER) == [Status.CANCELLED]
    assert allowed_next(Status.ACCEPTED, Party.RECEIVER) == [
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.FAILED,
        Status.CANCELLED,
    ]
    for closed in (Status.REJECTED, Status.COMPLETED, Status.FAILED, Status.CANCELLED):
        assert allowed_next(closed, Party.REQUESTER) == allowed_next(closed, Party.RECEIVER) == []


@pytest.mark.parametrize(
    ("current", "new", "party"),
    [
        (Status.REQUESTED, Status.COMPLETED, Party.RECEIVER),  # completed before accepted
        (Status.REQUESTED, Status.ACCEPTED, Party.REQUESTER),  # the referrer cannot accept
        (Status.DRAFT, Status.ACCEPTED, Party.RECEIVER),
        (Status.COMPLETED, Status.IN_PROGRESS, Party.RECEIVER),
        (Status.REJECTED, Status.REQUESTED, Party.REQUESTER),
    ],
)
def test_forbidden_changes(current, new, party):
    with pytest.raises(Refused) as refused:
        check(current, new, party, note="text")
    assert refused.value.code == "forbidden"


def test_reason_and_outcome_are_required():
    with pytest.raises(Refused, match="reason_required"):
        check(Status.REQUESTED, Status.REJECTED, Party.RECEIVER, note="  ")
    with pytest.raises(Refused, match="reason_required"):
        check(Status.ACCEPTED, Status.FAILED, Party.RECEIVER, note=None)
    with pytest.raises(Refused, match="outcome_required"):
        check(Status.IN_PROGRESS, Status.COMPLETED, Party.RECEIVER, note="")
    check(Status.IN_PROGRESS, Status.COMPLETED, Party.RECEIVER, note="Parcel collected")
    check(Status.REQUESTED, Status.ACCEPTED, Party.RECEIVER, note=None)


def test_patient_words():
    assert patient_word(Status.REQUESTED, None) == "sent"
    assert patient_word(Status.ACCEPTED, None) == "contact"
    assert patient_word(Status.COMPLETED, None) == "got_help"
    assert patient_word(Status.REJECTED, None) == "no_help"
    assert patient_word(Status.ACCEPTED, PatientAnswer.GOT_HELP) == "got_help"
    assert patient_word(Status.COMPLETED, PatientAnswer.NO_HELP) == "no_help"
