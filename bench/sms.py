"""Measurements 4 and 5: the prompt planning tick and outbox dispatch to a loopback Twilio."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from app.db import db
from app.prompts.models import DIARY_TARGET, OutboxMessage, OutboxStatus, PromptPurpose
from app.prompts.services import plan_due_prompts
from bench import procs
from bench.fake_twilio import FakeTwilio
from bench.seed import Seeded

PLAN_ZONE = "America/New_York"
PLAN_LEAD = timedelta(hours=1)  # the planned reminders fall due after the whole run
DISPATCH_ROWS = 12_000
DISPATCH_SECONDS = 10.0
DUE_WINDOW = timedelta(minutes=10)  # the phases end well within it
SENT = (OutboxStatus.SENT, OutboxStatus.DELIVERED)
NOT_SENT = (OutboxStatus.CANCELLED, OutboxStatus.SKIPPED, OutboxStatus.EXPIRED)


class DispatchSetupError(RuntimeError):
    """Other outbox rows are due: the workers would spend the phases on them, not on ours."""


def tick_time(now: datetime) -> datetime:
    """The first 19:20 in New York at least PLAN_LEAD after `now`: the default 19:30 reminders
    of that zone are inside the plan-ahead, and they fall due after the dispatch stage whatever
    the time of day the bench starts. (A tick at 19:20 of New York's current date is in the past
    between 00:20 and 05:20 UTC: its 5,000 reminders were late, due before the dispatch stage's
    rows, and the workers spent the phases expiring them.)"""
    zone = ZoneInfo(PLAN_ZONE)
    day = now.astimezone(zone).date()
    while (tick := datetime(day.year, day.month, day.day, 19, 20, tzinfo=zone)) < now + PLAN_LEAD:
        day += timedelta(days=1)
    return tick.astimezone(UTC)


def run_planning(app: Flask) -> dict[str, Any]:
    now = tick_time(datetime.now(UTC))
    figures: dict[str, Any] = {}
    with app.app_context():
        for key in ("plan_tick_seconds", "plan_repeat_tick_seconds"):
            before = _outbox_count()
            began = time.perf_counter()
            with db.transaction():
                plan_due_prompts(now=now)
            figures[key] = round(time.perf_counter() - began, 2)
            if key == "plan_tick_seconds":  # counted: PlanResult's rowcount is 0 on psycopg
                figures["plan_rows_written"] = _outbox_count() - before
    return {"figures": figures, "notes": {}, "remarks": []}


def _outbox_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


def _outbox_rows(seeded: Seeded, now: datetime, count: int) -> list[dict[str, Any]]:
    rows = []
    for patient_id, user_id, zone in seeded.recipients[:count]:
        rows.append(
            {
                "id": uuid.uuid4(),
                "recipient_id": user_id,
                "patient_id": patient_id,
                "purpose": PromptPurpose.DIARY_REMINDER,
                "target": DIARY_TARGET,
                "local_date": now.astimezone(ZoneInfo(zone)).date(),
                "slot": "bench",
                "due_at": now - timedelta(seconds=5),
                "expires_at": now + timedelta(hours=2),
                "status": OutboxStatus.PLANNED,
                "attempts": 0,
                "next_attempt_at": now - timedelta(seconds=5),
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def stage_rows(app: Flask, seeded: Seeded, *, now: datetime, count: int = DISPATCH_ROWS) -> int:
    """Insert the due rows the phases send; refuse if other rows fall due before the phases end."""
    rows = _outbox_rows(seeded, now, count)  # built first: no transaction open meanwhile
    with app.app_context(), db.transaction() as session:
        ahead = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PLANNED,
                OutboxMessage.next_attempt_at <= now + DUE_WINDOW,
            )
        )
        if ahead:
            raise DispatchSetupError(
                f"{ahead:,} other outbox rows are due before the dispatch stage's own: "
                "the workers would spend the phases on them"
            )
        session.execute(insert(OutboxMessage), rows)
    return len(rows)


@dataclass
class Phase:
    workers: int
    due: int  # planned rows at the start
    sent: int  # messages that reached the fake Twilio
    skipped: Counter[str]  # rows claimed and not sent, by "status: reason"
    rate: float  # messages per second

    def failure(self) -> str | None:
        if self.sent or not self.due:
            return None
        skipped = sum(self.skipped.values())
        return (
            f"dispatch with {self.workers} worker(s) sent nothing in {DISPATCH_SECONDS:g} s "
            f"({self.due:,} rows due, {skipped:,} skipped: {_reasons(self.skipped)})"
        )


def _reasons(skipped: Counter[str]) -> str:
    return ", ".join(f"{key} {n:,}" for key, n in skipped.most_common()) or "none"


def _due(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.PLANNED,
                    OutboxMessage.next_attempt_at <= datetime.now(UTC),
                )
            )
            or 0
        )


def _not_sent(app: Flask) -> Counter[str]:
    """Rows claimed and not sent (cancelled, skipped, expired), by "status: reason"."""
    with app.app_context():
        rows = db.session.execute(
            select(OutboxMessage.status, OutboxMessage.reason, func.count())
            .where(OutboxMessage.status.in_(NOT_SENT))
            .group_by(OutboxMessage.status, OutboxMessage.reason)
        ).all()
    return Counter({f"{status.value}: {reason}": n for status, reason, n in rows})


def _phase(
    app: Flask, url: str, fake: FakeTwilio, workers: int, logs: Path, env: dict[str, str]
) -> Phase:
    before = len(fake.snapshot())
    due, skipped_before = _due(app), _not_sent(app)
    args = ["-m", "bench.worker", url, fake.url, str(DISPATCH_SECONDS)]
    children = [
        procs.spawn([procs.python(), *args], env=env, log=logs / f"dispatch-{workers}.log")
        for _ in range(workers)
    ]
    try:
        for child in children:
            child.wait(DISPATCH_SECONDS + 60)
    finally:
        for child in children:
            procs.stop(child)
    times = [t for t, _, _ in fake.snapshot()[before:]]
    rate = round(len(times) / (times[-1] - times[0]), 1) if len(times) > 1 else 0.0
    skipped = _not_sent(app) - skipped_before
    return Phase(workers, due, len(times), skipped, rate)


def run_dispatch(
    app: Flask, seeded: Seeded, *, url: str, multi: bool, logs: Path, env: dict[str, str]
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    notes: dict[str, str] = {}
    remarks: list[str] = []
    failures: list[str] = []
    kind = make_url(url).get_backend_name()
    figures["dispatch_rows_due"] = stage_rows(app, seeded, now=datetime.now(UTC))
    with FakeTwilio() as fake:
        phases = [_phase(app, url, fake, 1, logs, env)]
        if multi:
            phases.append(_phase(app, url, fake, 4, logs, env))
        else:
            for key in ("dispatch_4_mps", "dispatch_4_sent", "dispatch_4_skipped"):
                notes[key] = "SQLite: one dispatch worker (no SKIP LOCKED)"
        received = fake.snapshot()
    for phase in phases:
        n = phase.workers
        if not phase.due:
            for key in (f"dispatch_{n}_mps", f"dispatch_{n}_sent", f"dispatch_{n}_skipped"):
                notes[key] = "nothing left to send"
            continue
        figures[f"dispatch_{n}_mps"] = phase.rate
        figures[f"dispatch_{n}_sent"] = phase.sent
        figures[f"dispatch_{n}_skipped"] = sum(phase.skipped.values())
        remarks.append(
            f"dispatch ({kind}), {n} worker(s): {phase.due:,} rows due, {phase.sent:,} sent, "
            f"{sum(phase.skipped.values()):,} skipped ({_reasons(phase.skipped)})"
        )
        if failure := phase.failure():
            failures.append(failure)
    per_phone = Counter(to for _, to, _ in received)
    figures["dispatch_duplicates"] = sum(n - 1 for n in per_phone.values() if n > 1)
    with app.app_context():
        recorded = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status.in_(SENT))
        )
    figures["dispatch_messages"] = len(received)
    figures["dispatch_rows_sent"] = recorded
    remarks.append(
        f"dispatch: {len(received)} messages reached the fake Twilio, {recorded} outbox rows "
        f"recorded as sent, {len(per_phone)} distinct numbers"
    )
    return {"figures": figures, "notes": notes, "remarks": remarks, "failures": failures}
