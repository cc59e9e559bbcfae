"""PostgreSQL: two clocks and three dispatch workers on one database send each prompt once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic import command

from app import create_app
from app.auth.models import Role, User
from app.auth.services import set_phone
from app.careteam.models import Clinic, ConsentChannel
from app.careteam.services import enroll_existing_user, record_sms_consent
from app.cli import alembic_config
from app.db import db
from app.prompts.models import OutboxMessage, OutboxStatus
from app.prompts.services import update_schedule
from tests import dbutil
from tests.sms.fake_twilio import LoopbackTwilio

ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Riyadh", "America/Sao_Paulo"]
PATIENTS = 15


def _seed(url: str) -> set[str]:
    app = create_app({"DATABASE_URL": url})
    phones = set()
    now = datetime.now(UTC)
    with app.app_context(), db.transaction():
        clinic = Clinic(name="Concurrency clinic")
        db.session.add(clinic)
        db.session.flush()
        for n in range(PATIENTS):
            zone = ZONES[n % len(ZONES)]
            phone = f"+1202555{n + 100:04d}"
            user = User(email=f"p{n}@example.org", display_name=f"P{n}", role=Role.PATIENT)
            user.timezone, user.clinic_id = zone, clinic.id
            db.session.add(user)
            set_phone(user=user, raw=phone)
            db.session.flush()
            enroll_existing_user(user=user, clinic=clinic, readable_locales=[])
            record_sms_consent(user=user, channel=ConsentChannel.PAPER, recorded_by=None)
            local = (now - timedelta(minutes=3)).astimezone(ZoneInfo(zone))
            quiet_start = (local + timedelta(hours=3)).time().replace(second=0, microsecond=0)
            quiet_end = (local + timedelta(hours=4)).time().replace(second=0, microsecond=0)
            update_schedule(
                user=user,
                diary_time=local.time().replace(second=0, microsecond=0),
                quiet_start=quiet_start,
                quiet_end=quiet_end,
            )
            phones.add(phone)
    app.extensions["heed.engine"].dispose()
    return phones


@pytest.mark.postgres
def test_two_clocks_and_three_workers_send_every_prompt_exactly_once(tmp_path):
    if dbutil.backend() != "postgresql":
        reason = (
            "needs PostgreSQL (SKIP LOCKED, advisory locks); run `python -m tests.run_postgres`"
        )
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)
    url = dbutil.new_database(str(tmp_path), "concurrency")
    try:
        command.upgrade(alembic_config(url), "head")
        phones = _seed(url)
        with LoopbackTwilio() as fake:
            env = {**os.environ, "HEED_ENV": "testing"}
            roles = ["clock", "clock", "dispatch", "dispatch", "dispatch"]
            processes = [
                subprocess.Popen(  # noqa: S603
                    [sys.executable, "-m", "tests.sms.procs", role, url, fake.url, "8"], env=env
                )
                for role in roles
            ]
            for process in processes:
                assert process.wait(timeout=90) == 0
            sent_to = Counter(form["To"] for form in fake.received)
        assert set(sent_to) == phones
        assert all(n == 1 for n in sent_to.values()), sent_to
        app = create_app({"DATABASE_URL": url})
        with app.app_context():
            statuses = Counter(row.status for row in db.session.query(OutboxMessage))
        app.extensions["heed.engine"].dispose()
        assert statuses == {OutboxStatus.SENT: PATIENTS}
    finally:
        dbutil.drop_database(url)
