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

    from app import access, cli, features, i18n, labels, security, web
    from app.auth import sessions
    from app.db import db

    db.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    sessions.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    labels.init_app(app)
    access.init_app(app)
    cli.init_app(app)
    features.wire(app)
    _wire_prompts_and_sms(app)
    return app


def _wire_prompts_and_sms(app: Flask) -> None:
    """The two layers under the features (features → sms → prompts → core): their blueprints
    and receivers, then the prompt-kind catalogue, last, once every feature's `hooks.py` has
    declared its kinds (`features.wire` imported them)."""
    from app.prompts import data_rights as _prompt_data_rights  # noqa: F401 - connects receivers
    from app.prompts import kinds
    from app.prompts.views import bp as prompts_bp
    from app.sms import data_rights as _sms_data_rights  # noqa: F401 - connects its receivers
    from app.sms import hooks as _sms_hooks  # noqa: F401 - connects its receivers
    from app.sms import sections as _sms_sections  # noqa: F401 - connects its receivers
    from app.sms import task_session
    from app.sms.views import bp as sms_bp
    from app.sms.webhooks import bp as sms_webhooks_bp

    csrf.exempt(sms_webhooks_bp)  # Twilio webhooks authenticate by signature, not CSRF
    for blueprint in (prompts_bp, sms_bp, sms_webhooks_bp):
        app.register_blueprint(blueprint)
    task_session.init_app(app)
    kinds.init_app(app)  # last: every feature has declared its prompt kinds
