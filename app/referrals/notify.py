"""Telling the referrer: every status change and the patient's answer reach them by email (no
patient details in it, only the link) and stay on their home page until they open the referral
(`ReferralEvent.seen_at`)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app import mail
from app.auth.models import User
from app.db import db
from app.referrals.labels import STATUS_LABELS
from app.referrals.models import Referral, Status


def _link(referral: Referral) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/referrals/{referral.id}"


def referrer(referral: Referral, new: Status) -> bool:
    """Email the referrer that a referral they sent changed; False when not sent."""
    user = db.session.get(User, referral.requester_id)
    if user is None or not user.active or not user.email:
        return False
    with force_locale(user.locale):
        subject = _("Heed: a referral you sent was updated")
        body = _(
            "A referral you sent is now: %(status)s.\nOpen it in Heed: %(link)s",
            status=str(STATUS_LABELS[new]),
            link=_link(referral),
        )
    return mail.send(to=user.email, subject=subject, body=body)


def referrer_of_answer(referral: Referral) -> bool:
    user = db.session.get(User, referral.requester_id)
    if user is None or not user.active or not user.email:
        return False
    with force_locale(user.locale):
        subject = _("Heed: a patient answered about a referral")
        body = _(
            "A patient said whether a referral you sent helped them.\nOpen it in Heed: %(link)s",
            link=_link(referral),
        )
    return mail.send(to=user.email, subject=subject, body=body)
