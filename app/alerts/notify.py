"""Email the people an urgent alert is routed to (`queries.routed`, the inbox's own routing):
when it is raised, when it is raised again by a new source while open, and when it escalates.

The email carries no patient details, only a link to the alert inbox (sign-in required). The
clock sends it (`notify-alerts`, every minute) outside any transaction. An alert counts as
notified once at least one recipient's email was accepted, so an SMTP outage is retried on the
next run rather than lost; a duplicate email is the lesser risk.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app import mail
from app.alerts import queries
from app.alerts.models import Alert, Severity
from app.db import db, utcnow
from app.i18n import force_recipient_locale

log = logging.getLogger(__name__)
BATCH = 50


@dataclass(frozen=True)
class Notice:
    alert_id: uuid.UUID
    escalated: bool  # the escalation email is due
    repeated: bool  # the open alert was raised again (a new critical answer) since last emailed
    repeat_count: int  # as read: a repeat arriving while this is sent is emailed next run
    recipients: list[tuple[str, str]]  # (email, locale)


def _pending() -> list[Notice]:
    alerts = db.session.scalars(
        select(Alert)
        .where(
            Alert.severity == Severity.URGENT,
            Alert.acknowledged_at.is_(None),
            Alert.notified_at.is_(None)
            | (Alert.escalated_at.is_not(None) & Alert.escalation_notified_at.is_(None)),
        )
        .order_by(Alert.created_at)
        .limit(BATCH)
    ).all()
    notices = []
    for alert in alerts:
        escalated = alert.escalated_at is not None and alert.escalation_notified_at is None
        people = queries.recipients(alert)
        notices.append(
            Notice(
                alert.id,
                escalated,
                alert.repeat_count > 0 and not escalated,
                alert.repeat_count,
                [(u.email or "", u.locale) for u in people],
            )
        )
    return notices


def _subject(notice: Notice) -> str:
    if notice.escalated:
        return _("Heed: an urgent alert is still not acknowledged")
    if notice.repeated:
        return _("Heed: an open urgent alert was raised again")
    return _("Heed: an urgent alert needs your attention")


def _send(notice: Notice) -> bool:
    link = f"{current_app.config['PUBLIC_BASE_URL']}/alerts"
    sent = False
    for email, locale in notice.recipients:
        with force_recipient_locale(locale):
            subject = _subject(notice)
            body = render_template(
                "alerts/email_urgent.txt",
                link=link,
                escalated=notice.escalated,
                repeated=notice.repeated,
            )
        sent = mail.send(to=email, subject=subject, body=body) or sent
    return sent


def notify_pending(*, now: datetime | None = None) -> int:
    """Send what is due and mark it; returns how many alerts were notified."""
    now = now or utcnow()
    with db.transaction():
        notices = _pending()
    done = [notice for notice in notices if _send(notice) or not notice.recipients]
    for notice in notices:
        if not notice.recipients:
            log.warning("urgent alert with nobody to email (no lead clinician or coordinator)")
    with db.transaction() as session:
        for notice in done:
            column = "escalation_notified_at" if notice.escalated else "notified_at"
            values: dict[str, object] = {column: now}
            if notice.escalated:  # escalated before its first email went out: one email says both
                values["notified_at"] = func.coalesce(Alert.notified_at, now)
            session.execute(
                update(Alert)
                .where(
                    Alert.id == notice.alert_id,
                    getattr(Alert, column).is_(None),
                    Alert.repeat_count == notice.repeat_count,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
    return len(done)
