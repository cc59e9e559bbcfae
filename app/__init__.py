"""Heed: patient-reported outcomes for psychosomatic care."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from app import logs
from app.config import load_settings

csrf = CSRFProtect()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application factory: nothing builds an app at import time."""
    app = logs.Heed(__name__, instance_relative_config=True)
    settings = load_settings(Path(app.instance_path))
    app.config.from_mapping(settings.values)
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.basicConfig(
        level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    logs.init_app(app)

    from app import access, cli, labels, security, web
    from app.auth import sessions
    from app.db import db

    db.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    sessions.init_app(app)

    from app import i18n

    i18n.init_app(app)
    web.init_app(app)
    labels.init_app(app)
    access.init_app(app)
    _register_blueprints(app)
    cli.init_app(app)

    from app import alerts, followups, instruments, trends

    instruments.init_app(app)
    alerts.init_app(app)
    followups.init_app(app)
    trends.init_app(app)

    from app.alerts import sms_hooks as alert_sms_hooks
    from app.diary import sms_hooks as diary_sms_hooks
    from app.followups import sms_hooks as followup_sms_hooks
    from app.instruments import sms_hooks as instrument_sms_hooks
    from app.prompts.sources import register_builtin_sources
    from app.sms import metrics as sms_metrics
    from app.sms import task_session

    register_builtin_sources()
    task_session.init_app(app)
    for hooks in (
        diary_sms_hooks,
        instrument_sms_hooks,
        followup_sms_hooks,
        alert_sms_hooks,
        sms_metrics,
    ):
        hooks.register()
    return app


def _register_blueprints(app: Flask) -> None:
    from app.admin.views import bp as admin_bp
    from app.auth.views import bp as auth_bp
    from app.careplan.views import bp as careplan_bp
    from app.careteam.views import bp as careteam_bp
    from app.datarights.views import bp as datarights_bp
    from app.diary.views import bp as diary_bp
    from app.home.views import bp as home_bp
    from app.prompts.views import bp as prompts_bp
    from app.sms.views import bp as sms_bp
    from app.sms.webhooks import bp as sms_webhooks_bp

    csrf.exempt(sms_webhooks_bp)  # Twilio webhooks authenticate by signature, not CSRF
    for blueprint in (prompts_bp, sms_bp, sms_webhooks_bp):
        app.register_blueprint(blueprint)

    for blueprint in (
        auth_bp,
        home_bp,
        careteam_bp,
        careplan_bp,
        datarights_bp,
        diary_bp,
        admin_bp,
    ):
        app.register_blueprint(blueprint)
