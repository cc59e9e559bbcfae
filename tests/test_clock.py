"""The clock process: one scheduler in UTC with jobs under stable ids."""

from __future__ import annotations

import logging

from app.jobs.clock import build_scheduler, heartbeat


def test_scheduler_is_utc_with_stable_job_ids(app):
    scheduler = build_scheduler(app)
    assert str(scheduler.timezone) == "UTC"
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {
        "heartbeat",
        "plan-prompts",
        "dispatch-outbox",
        "expire-stale",
        "materialize-questionnaires",
        "evaluate-alert-rules",
        "escalate-alerts",
        "notify-alerts",
        "referrals-overdue",
        "freeze-conference-agendas",
        "remind-conference-actions",
    }
    assert all(job.coalesce is True for job in jobs.values())
    assert all(job.misfire_grace_time <= 30 for job in jobs.values())


def test_heartbeat_touches_the_database_and_logs(app, caplog):
    with caplog.at_level(logging.INFO, logger="app.jobs.clock"):
        heartbeat(app)
    assert "clock heartbeat" in caplog.text


def test_web_app_does_not_start_a_scheduler(app):
    assert not any("apscheduler" in key for key in app.extensions)
