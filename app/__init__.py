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

    from app import access, cli, errors, features, headers, health, i18n, labels, security
    from app.auth import sessions
    from app.db import db

    db.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    sessions.init_app(app)
    i18n.init_app(app)
    headers.init_app(app)
    labels.init_app(app)
    errors.init_app(app)
    access.init_app(app)
    app.register_blueprint(health.bp)
    cli.init_app(app)
    features.wire(app)
    _wire_prompts_and_sms(app)
    return app


def _wire_prompts_and_sms(app: Flask) -> None:
    """Prompts and SMS, still wired by hand (i13-prompts moves them into `features.FEATURES`)."""
    from app.alerts import sms_hooks as alert_sms_hooks
    from app.diary import sms_hooks as diary_sms_hooks
    from app.followups import sms_hooks as followup_sms_hooks
    from app.instruments import sms_hooks as instrument_sms_hooks
    from app.prompts.sources import register_builtin_sources
    from app.prompts.views import bp as prompts_bp
    from app.sms import data_rights as sms_data_rights  # noqa: F401 - connects its receivers
    from app.sms import metrics as sms_metrics
    from app.sms import sections as sms_sections  # noqa: F401 - connects its receivers
    from app.sms import task_session
    from app.sms.views import bp as sms_bp
    from app.sms.webhooks import bp as sms_webhooks_bp

    csrf.exempt(sms_webhooks_bp)  # Twilio webhooks authenticate by signature, not CSRF
    for blueprint in (prompts_bp, sms_bp, sms_webhooks_bp):
        app.register_blueprint(blueprint)
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
