"""Clock work for case conferences: freeze agendas 24 hours before the start, and remind the
owners of overdue actions by email (once per action; the email names no patient)."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app, render_template
from flask_babel import gettext as _

from app import mail
from app.conferences import queries, services
from app.conferences.models import ConferenceAction
from app.db import db, utcnow
from app.i18n import force_recipient_locale

log = logging.getLogger(__name__)


def freeze_agendas(*, now: datetime | None = None) -> int:
    """Freeze every agenda whose moment has come (inside the caller's transaction)."""
    return services.freeze_due(now=now or utcnow())


def remind_overdue(*, now: datetime | None = None) -> int:
    """Email each overdue action's owner once; returns how many reminders were sent.
    Idempotent: an action is marked reminded when its email was accepted."""
    now = now or utcnow()
    sent = 0
    with db.transaction():
        due = [
            (action.id, action.owner.email, action.owner.locale)
            for action in queries.overdue_unreminded(now.date())
        ]
    link = f"{current_app.config['PUBLIC_BASE_URL']}/"
    for action_id, email, locale in due:
        if not email:
            continue
        with force_recipient_locale(locale):
            subject = _("Heed: a case-conference action is overdue")
            body = render_template("conferences/email_overdue.txt", link=link)
        if mail.send(to=email, subject=subject, body=body):
            with db.transaction() as session:
                action = session.get(ConferenceAction, action_id)
                if action is not None and action.reminded_at is None:
                    action.reminded_at = now
                    sent += 1
    if sent:
        log.info("overdue conference-action reminders sent: %d", sent)
    return sent
