"""Email the people an urgent alert is routed to: when it is raised, and again when it escalates.

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
from sqlalchemy import exists, func, or_, select, update

from app import mail
from app.alerts.models import Alert, Severity
from app.auth.models import Role, User
from app.careteam.models import CareTeamMembership, Patient
from app.db import db, utcnow
from app.i18n import force_recipient_locale

log = logging.getLogger(__name__)
BATCH = 50


@dataclass(frozen=True)
class Notice:
    alert_id: uuid.UUID
    escalated: bool
    recipients: list[tuple[str, str]]  # (email, locale)


def recipients(alert: Alert, *, escalated: bool) -> list[User]:
    """The inbox's routing: the lead clinician(s) and the clinic's coordinators. An escalation
    also reaches every clinician on the patient's team."""
    patient = db.session.get(Patient, alert.patient_id)
    if patient is None:
        return []
    on_team = (
        (CareTeamMembership.patient_id == patient.id)
        & (CareTeamMembership.member_id == User.id)
        & CareTeamMembership.ended_at.is_(None)
    )
    if not escalated:
        on_team &= CareTeamMembership.is_lead.is_(True)
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.email.is_not(None),
                or_(
                    (User.role == Role.COORDINATOR) & (User.clinic_id == patient.clinic_id),
                    (User.role == Role.CLINICIAN) & exists().where(on_team),
                ),
            )
            .order_by(User.id)
        )
    )


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
        escalated = alert.escalated_at is not None
        people = recipients(alert, escalated=escalated)
        notices.append(Notice(alert.id, escalated, [(u.email or "", u.locale) for u in people]))
    return notices


def _send(notice: Notice) -> bool:
    link = f"{current_app.config['PUBLIC_BASE_URL']}/alerts"
    sent = False
    for email, locale in notice.recipients:
        with force_recipient_locale(locale):
            subject = (
                _("Heed: an urgent alert is still not acknowledged")
                if notice.escalated
                else _("Heed: an urgent alert needs your attention")
            )
            body = render_template("alerts/email_urgent.txt", link=link, escalated=notice.escalated)
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
                .where(Alert.id == notice.alert_id, getattr(Alert, column).is_(None))
                .values(**values)
                .execution_options(synchronize_session=False)
            )
    return len(done)
