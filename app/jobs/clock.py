"""The clock process: one APScheduler BlockingScheduler in UTC with jobs under stable ids.

Jobs read due work from our own tables. A leader lock (app/sms/leader.py) makes a second
clock a harmless standby: its jobs return at once until it becomes the leader.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text

from app.db import db
from app.jobs.leader import LeaderLock

log = logging.getLogger(__name__)


def heartbeat(app: Flask) -> None:
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        log.info("clock heartbeat")


def plan_prompts(app: Flask) -> None:
    from app.prompts.services import plan_due_prompts

    with app.app_context(), db.transaction():
        plan_due_prompts()


def dispatch_outbox(app: Flask) -> None:
    from app.sms.dispatch import dispatch_due

    with app.app_context():
        dispatch_due()


def expire_stale(app: Flask) -> None:
    from app.sms.dispatch import expire_stale as expire
    from app.sms.dispatch import reconcile_unknown

    with app.app_context():
        expire()
        reconcile_unknown()


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


def notify_alerts(app: Flask) -> None:
    """Email staff about new and escalated urgent alerts (no patient details in the email)."""
    from app.alerts.notify import notify_pending

    with app.app_context():
        notified = notify_pending()
    if notified:
        log.info("urgent alert emails sent for %d alerts", notified)


def materialize_questionnaires(app: Flask) -> None:
    """Create due questionnaire occurrences so prompts and pages find them ready."""
    from app.instruments.services import materialize_all

    with app.app_context(), db.transaction():
        created = materialize_all()
    log.info("questionnaire occurrences materialized: %d", created)


def referrals_overdue(app: Flask) -> None:
    """Referrals without an answer past their urgency's days raise an alert (once each)."""
    from app.referrals.services import raise_overdue

    with app.app_context(), db.transaction():
        raised = raise_overdue()
    log.info("overdue referrals alerted: %d", raised)


def freeze_conference_agendas(app: Flask) -> None:
    """Case-conference agendas freeze 24 hours before the conference starts."""
    from app.conferences.jobs import freeze_agendas

    with app.app_context(), db.transaction():
        frozen = freeze_agendas()
    if frozen:
        log.info("case-conference agendas frozen: %d", frozen)


def remind_conference_actions(app: Flask) -> None:
    """Email the owners of overdue case-conference actions (once per action)."""
    from app.conferences.jobs import remind_overdue

    with app.app_context():
        remind_overdue()


def _as_leader(lock: LeaderLock, job: Callable[[Flask], None], app: Flask) -> None:
    if not lock.held():
        return
    try:
        job(app)
    except Exception:
        log.exception("clock job %s failed", job.__name__)


# (id, function, seconds between runs)
JOBS: list[tuple[str, Callable[[Flask], None], int]] = [
    ("heartbeat", heartbeat, 60),
    ("plan-prompts", plan_prompts, 60),
    ("dispatch-outbox", dispatch_outbox, 5),
    ("expire-stale", expire_stale, 180),
    ("materialize-questionnaires", materialize_questionnaires, 900),
    ("evaluate-alert-rules", evaluate_alert_rules, 1800),
    ("escalate-alerts", escalate_alerts, 60),
    ("notify-alerts", notify_alerts, 60),
    ("referrals-overdue", referrals_overdue, 1800),
    ("freeze-conference-agendas", freeze_conference_agendas, 300),
    ("remind-conference-actions", remind_conference_actions, 3600),
]


def build_scheduler(app: Flask, lock: LeaderLock | None = None) -> BlockingScheduler:
    lock = lock or LeaderLock(app)
    scheduler = BlockingScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
    )
    for job_id, function, seconds in JOBS:
        scheduler.add_job(
            _as_leader,
            "interval",
            seconds=seconds,
            id=job_id,
            coalesce=True,
            misfire_grace_time=min(30, seconds),
            args=[lock, function, app],
            replace_existing=True,
        )
    return scheduler


def run(app: Flask) -> None:
    lock = LeaderLock(app)
    scheduler = build_scheduler(app, lock)
    log.info("clock starting with jobs: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    heartbeat(app)
    if not lock.held():
        log.info("another clock is the leader; this one stands by")
    try:
        scheduler.start()
    finally:
        lock.release()
