"""Measurements 4 and 5: the prompt planning tick and outbox dispatch to a loopback Twilio."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, insert, select

from app.db import db
from app.prompts.models import DIARY_TARGET, PromptPurpose
from app.prompts.services import plan_due_prompts
from app.sms.models import OutboxMessage, OutboxStatus
from bench import procs
from bench.fake_twilio import FakeTwilio
from bench.seed import Seeded

PLAN_ZONE = "America/New_York"
DISPATCH_ROWS = 12_000
DISPATCH_SECONDS = 10.0
SENT = (OutboxStatus.SENT, OutboxStatus.DELIVERED)


def tick_time(today: datetime) -> datetime:
    """19:20 in New York: the default 19:30 reminders of that zone are inside the plan-ahead."""
    zone = ZoneInfo(PLAN_ZONE)
    local = today.astimezone(zone).date()
    return datetime(local.year, local.month, local.day, 19, 20, tzinfo=zone).astimezone(UTC)


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


def _phase(url: str, fake: FakeTwilio, workers: int, logs: Path, env: dict[str, str]) -> float:
    before = len(fake.snapshot())
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
    if len(times) < 2:
        return 0.0
    return round(len(times) / (times[-1] - times[0]), 1)


def run_dispatch(
    app: Flask, seeded: Seeded, *, url: str, multi: bool, logs: Path, env: dict[str, str]
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    notes: dict[str, str] = {}
    with app.app_context(), db.transaction() as session:
        session.execute(
            insert(OutboxMessage), _outbox_rows(seeded, datetime.now(UTC), DISPATCH_ROWS)
        )
    with FakeTwilio() as fake:
        figures["dispatch_1_mps"] = _phase(url, fake, 1, logs, env)
        if multi:
            figures["dispatch_4_mps"] = _phase(url, fake, 4, logs, env)
        else:
            notes["dispatch_4_mps"] = "SQLite: one dispatch worker (no SKIP LOCKED)"
        received = fake.snapshot()
    per_phone = Counter(to for _, to, _ in received)
    figures["dispatch_duplicates"] = sum(n - 1 for n in per_phone.values() if n > 1)
    with app.app_context():
        recorded = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status.in_(SENT))
        )
    figures["dispatch_messages"] = len(received)
    figures["dispatch_rows_sent"] = recorded
    remarks = [
        f"dispatch: {len(received)} messages reached the fake Twilio, {recorded} outbox rows "
        f"recorded as sent, {len(per_phone)} distinct numbers"
    ]
    return {"figures": figures, "notes": notes, "remarks": remarks}
