"""Reminder settings: when a patient or caregiver gets prompts, and their quiet hours."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import Role
from app.db import db
from app.prompts import queries, services
from app.prompts.forms import ScheduleForm

bp = Blueprint("prompts", __name__, template_folder="templates")


@bp.route("/settings/reminders", methods=["GET", "POST"])
@login_required
def schedule() -> ResponseReturnValue:
    if current_user.role not in (Role.PATIENT, Role.CAREGIVER):
        abort(404)
    current = queries.schedule_for(current_user.id)
    form = ScheduleForm(
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
        services.update_schedule(
            user=current_user,
            diary_enabled=form.diary_enabled.data,
            diary_time=form.diary_time.data,
            sms_diary_replies=form.sms_diary_replies.data,
            checkin_weekday=form.checkin_weekday.data,
            checkin_time=form.checkin_time.data,
            quiet_start=form.quiet_start.data,
            quiet_end=form.quiet_end.data,
        )
        db.session.commit()
        flash(_("Your reminders are saved. Changes apply from the next reminder."), "info")
        return redirect(url_for("prompts.schedule"))
    return render_template("prompts/schedule.html", form=form)
