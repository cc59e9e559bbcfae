"""The dispatch worker loop (`flask sms-dispatch`, bench workers): it pauses only when idle."""

from __future__ import annotations

from datetime import time

import pytest
import time_machine
from sqlalchemy import select

from app.db import db
from app.jobs import worker
from app.jobs.worker import run_worker
from app.prompts.models import OutboxMessage, OutboxStatus
from app.prompts.services import plan_due_prompts
from tests.sms.fixtures import consenting
from tests.sms.test_dispatch import at, row_for


class Paused(Exception):
    """Raised by the patched sleep: the worker's first pause ends the test's run."""


def test_due_message_behind_a_batch_of_expired_rows_is_sent_without_a_pause(
    app, make, ctx, fake, monkeypatch
):
    """Two late New York reminders (claimed first: oldest next attempt) fill a batch of two and
    expire; the Chicago reminder due now must go out before the worker pauses (it used to wait
    `interval` after every batch that sent nothing, 2 s in production)."""
    late = [
        consenting(make, app, phone=p, timezone="America/New_York")
        for p in ("+12025550180", "+12025550181")
    ]
    plan_due_prompts(now=at(time(19, 25)))  # New York 19:30
    due = consenting(make, app, phone="+12025550182", timezone="America/Chicago")
    plan_due_prompts(now=at(time(20, 25)))  # 19:25 in Chicago: its 19:30 reminder
    db.session.commit()
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 3
    monkeypatch.setitem(app.config, "SMS_DISPATCH_BATCH", 2)
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        raise Paused

    monkeypatch.setattr(worker.time, "sleep", sleep)
    with time_machine.travel(at(time(20, 31)), tick=False), pytest.raises(Paused):
        run_worker(app, interval=2.0)  # New York's 19:30 is past its 30-minute grace

    assert [r.data["To"] for r in fake.sent] == ["+12025550182"]
    assert row_for(due).status == OutboxStatus.SENT
    assert {(row_for(p).status, row_for(p).reason) for p in late} == {
        (OutboxStatus.EXPIRED, "late")
    }
    assert pauses == [2.0]  # once, when nothing was left


def test_worker_pauses_when_nothing_is_due(app, ctx, fake, monkeypatch):
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        raise Paused

    monkeypatch.setattr(worker.time, "sleep", sleep)
    with pytest.raises(Paused):
        run_worker(app, interval=0.5)
    assert pauses == [0.5]
    assert fake.sent == []
