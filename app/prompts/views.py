"""Reminder settings: when a patient or caregiver gets prompts, and their quiet hours."""

from __future__ import annotations

from datetime import time

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import Role
from app.db import db
from app.i18n import formatting
from app.prompts import queries, services
from app.prompts.forms import CaregiverScheduleForm, PatientScheduleForm
from app.prompts.planning import same_day_send_time

bp = Blueprint("prompts", __name__, template_folder="templates")

FORMS = {Role.PATIENT: PatientScheduleForm, Role.CAREGIVER: CaregiverScheduleForm}


@bp.route("/settings/reminders", methods=["GET", "POST"])
@login_required
def schedule() -> ResponseReturnValue:
    form_class = FORMS.get(current_user.role)
    if form_class is None:
        abort(404)
    current = queries.schedule_for(current_user.id)
    form = form_class(
        data={
            "diary_enabled": current.diary_enabled,
            "diary_time": current.diary_time,
            "sms_diary_replies": current.sms_diary_replies,
            "checkin_weekday": current.checkin_weekday,
            "checkin_time": current.checkin_time,
            "quiet_start": current.quiet.start,
            "quiet_end": current.quiet.end,
        }
    )
    if form.validate_on_submit():
        services.update_schedule(user=current_user, **form.schedule_changes())
        db.session.commit()
        flash(_("Your reminders are saved. Changes apply from the next reminder."), "info")
        return redirect(url_for("prompts.schedule"))
    return render_template(
        "prompts/schedule.html", form=form, quiet_warning=_quiet_warning(current, current_user.role)
    )


def _clock(value: time) -> str:
    return formatting.time(value)


def _quiet_warning(schedule: queries.Schedule, role: Role) -> str | None:
    """What quiet hours do to the texts at this person's reminder time, when they hold it back.

    Shown on the page right after saving (the save redirects here) and for as long as the
    conflict lasts; worded from `same_day_send_time`, the planner's own rule."""
    at = schedule.diary_time if role == Role.PATIENT else schedule.checkin_time
    sent = same_day_send_time(at, schedule.quiet)
    if sent == at:
        return None
    times = {
        "at": _clock(at),
        "start": _clock(schedule.quiet.start),
        "end": _clock(schedule.quiet.end),
    }
    if role == Role.PATIENT:
        if sent is None:
            return _(
                "Texts at your diary reminder time (%(at)s) fall in your quiet hours "
                "(%(start)s\u2013%(end)s), so they will not be sent. Choose a time outside quiet "
                "hours or change your quiet hours.",
                **times,
            )
        return _(
            "Texts at your diary reminder time (%(at)s) fall in your quiet hours "
            "(%(start)s\u2013%(end)s), so they will be sent at %(end)s, when your quiet hours end.",
            **times,
        )
    if sent is None:
        return _(
            "Your check-in time (%(at)s) falls in your quiet hours (%(start)s\u2013%(end)s), so "
            "check-in texts will not be sent. Choose a time outside quiet hours or change "
            "your quiet hours.",
            **times,
        )
    return _(
        "Your check-in time (%(at)s) falls in your quiet hours (%(start)s\u2013%(end)s), so "
        "check-in texts will be sent at %(end)s, when your quiet hours end.",
        **times,
    )
