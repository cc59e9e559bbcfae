"""The clock process: one APScheduler BlockingScheduler in UTC with jobs under stable ids.

For now it runs a heartbeat; prompt planning, outbox dispatch and escalation
jobs join this list in later issues. Jobs read due work from our own tables.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text

from app.db import db

log = logging.getLogger(__name__)


def heartbeat(app: Flask) -> None:
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        log.info("clock heartbeat")


def build_scheduler(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
    )
    scheduler.add_job(
        heartbeat,
        "interval",
        seconds=60,
        id="heartbeat",
        coalesce=True,
        misfire_grace_time=30,
        args=[app],
        replace_existing=True,
    )
    scheduler.add_job(
        materialize_questionnaires,
        "interval",
        minutes=15,
        id="materialize-questionnaires",
        coalesce=True,
        misfire_grace_time=300,
        args=[app],
        replace_existing=True,
    )
    scheduler.add_job(
        evaluate_alert_rules,
        "interval",
        minutes=30,
        id="evaluate-alert-rules",
        coalesce=True,
        misfire_grace_time=300,
        args=[app],
        replace_existing=True,
    )
    scheduler.add_job(
        escalate_alerts,
        "interval",
        minutes=1,
        id="escalate-alerts",
        coalesce=True,
        misfire_grace_time=30,
        args=[app],
        replace_existing=True,
    )
    return scheduler


def evaluate_alert_rules(app: Flask) -> None:
    """Diary rules (no entries for N days, sustained symptom rise) for every patient."""
    from app.alerts.jobs import evaluate_diary_rules

    with app.app_context(), db.transaction():
        raised = evaluate_diary_rules()
    log.info("diary alert rules evaluated: %d raised or attached", raised)


def escalate_alerts(app: Flask) -> None:
    """Urgent alerts unacknowledged past the configured delay go to the coordinator."""
    from app.alerts.jobs import escalate

    with app.app_context(), db.transaction():
        escalated = escalate()
    if escalated:
        log.warning("alerts escalated: %d", escalated)


def materialize_questionnaires(app: Flask) -> None:
    """Create due questionnaire occurrences so prompts and pages find them ready."""
    from app.instruments.services import materialize_all

    with app.app_context(), db.transaction():
        created = materialize_all()
    log.info("questionnaire occurrences materialized: %d", created)


def run(app: Flask) -> None:
    scheduler = build_scheduler(app)
    log.info("clock starting with jobs: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    heartbeat(app)
    scheduler.start()
