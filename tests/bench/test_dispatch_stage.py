"""The dispatch stage measures sendable messages at any time of day, and fails loudly otherwise.

Issue 12, item 21: a run started at 02:31 UTC (21:31 in New York the day before) sent 0 of
12,000 rows with one worker: the planning tick, at 19:20 of New York's date, was two hours in
the past, so its 5,000 reminders were late and due ahead of the stage's rows; the workers spent
the phase expiring them (and paused after each batch that sent nothing).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from app.careteam.models import Patient
from app.db import db
from app.diary.models import DiaryEntry
from app.prompts.kinds import catalogue
from app.prompts.models import DIARY_TARGET, PromptPurpose
from app.sms.dispatch import dispatch_due
from bench import report, sms
from bench import run as bench_run
from bench.population import Population
from bench.seed import seed

TINY = Population(diary_patients=3, history_days=10, upcoming_patients=1, recipients=60,
                  clinicians=4, history_profiles={})  # fmt: skip
NEW_YORK = ZoneInfo("America/New_York")
MOMENTS = (
    datetime(2026, 12, 2, 2, 31, tzinfo=UTC),  # the failed run: 21:31 in New York, Dec 1
    datetime(2026, 11, 21, 22, 2, tzinfo=UTC),  # the run that worked: 17:02 in New York
    datetime(2026, 6, 15, 23, 45, tzinfo=UTC),  # 19:45 in New York: just past its 19:30
)


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.strftime("%H%MZ"))
def test_every_staged_row_is_sent_after_planning_whatever_the_time_of_day(
    app, fake, moment: datetime
):
    with time_machine.travel(moment, tick=False):
        seeded = seed(app, TINY, now=moment, load_patients=TINY.diary_patients)
        planned = sms.run_planning(app)["figures"]["plan_rows_written"]
        due = sms.stage_rows(app, seeded, now=moment, count=len(seeded.recipients))
        with app.app_context():
            stats = dispatch_due(limit=due)  # the rows a worker's first claim takes
            diaries_done = _diaries_done_today(seeded, moment)

    assert planned >= 3  # New York's reminders were planned (for later)
    assert due == len(seeded.recipients) == 57
    assert (stats.sent, stats.skipped, stats.expired) == (due, 0, 0)
    phones = sorted(r.data["To"] for r in fake.sent)
    assert len(set(phones)) == due
    assert diaries_done == set()  # seeded diaries end the day before, in each patient's zone


def _diaries_done_today(seeded, now: datetime) -> set:
    keys = []
    for patient_id, _email, zone in seeded.load_patients:
        user_id = db.session.scalar(select(Patient.user_id).where(Patient.id == patient_id))
        keys.append((user_id, DIARY_TARGET, now.astimezone(ZoneInfo(zone)).date()))
        last = db.session.scalar(
            select(func.max(DiaryEntry.local_date)).where(DiaryEntry.patient_id == patient_id)
        )
        assert last == now.astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
    return catalogue().completed(PromptPurpose.DIARY_REMINDER, keys)


def test_stage_refuses_to_measure_behind_other_due_rows(app):
    now = MOMENTS[0]
    with time_machine.travel(now, tick=False):
        seeded = seed(app, TINY, now=now, load_patients=0)
        sms.stage_rows(app, seeded, now=now, count=5)
        with pytest.raises(sms.DispatchSetupError, match="5 other outbox rows are due"):
            sms.stage_rows(app, seeded, now=now, count=5)


def test_planning_tick_is_an_hour_ahead_at_every_time_of_day():
    for start in (datetime(2026, 12, 2, tzinfo=UTC), datetime(2026, 3, 8, tzinfo=UTC),
                  datetime(2026, 11, 1, tzinfo=UTC)):  # fmt: skip
        for minutes in range(0, 24 * 60, 10):
            now = start + timedelta(minutes=minutes)
            tick = sms.tick_time(now)
            assert now + sms.PLAN_LEAD <= tick < now + sms.PLAN_LEAD + timedelta(days=1)
            assert tick.astimezone(NEW_YORK).strftime("%H:%M") == "19:20"


FAILED_PHASE = sms.Phase(
    workers=1, due=12_000, sent=0, skipped=Counter({"expired: late": 1_400}), rate=0.0
)


def test_a_phase_that_sends_nothing_fails_and_says_what_was_skipped():
    failure = FAILED_PHASE.failure()
    assert failure == (
        "dispatch with 1 worker(s) sent nothing in 10 s "
        "(12,000 rows due, 1,400 skipped: expired: late 1,400)"
    )
    assert sms.Phase(workers=4, due=0, sent=0, skipped=Counter(), rate=0.0).failure() is None
    assert sms.Phase(workers=4, due=9, sent=9, skipped=Counter(), rate=90.0).failure() is None


def test_failed_run_is_marked_in_the_table_and_exits_non_zero(capsys):
    run = {
        "db": "postgresql",
        "figures": {"dispatch_1_mps": 0.0, "dispatch_1_sent": 0, "dispatch_1_skipped": 1_400},
        "failures": [FAILED_PHASE.failure()],
    }
    table = report.render_table([run], heading="Run", machine="2 cores")
    assert "- **FAILED** (postgresql): dispatch with 1 worker(s) sent nothing" in table
    sent = next(line for line in table.splitlines() if "1 worker: messages sent" in line)
    assert sent.endswith("| 0 | > 0 | **missed** |")
    skipped = next(line for line in table.splitlines() if "1 worker: rows skipped" in line)
    assert skipped.endswith("| 1,400 | == 0 | **missed** |")
    assert bench_run.exit_code([run]) == 1
    assert "[bench] FAILED (postgresql): dispatch with 1 worker(s)" in capsys.readouterr().out
    assert bench_run.exit_code([{"db": "sqlite", "figures": {}, "failures": []}]) == 0
