"""Role home pages: each person lands on what their role is for."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.access import Action, may
from app.auth.models import Role
from app.careteam import queries
from app.db import db
from app.web.sections import sections_for

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    match current_user.role:
        case Role.PATIENT:
            patient = queries.patient_for_user(current_user)
            sections = sections_for("home", patient) if patient else []
            db.session.commit()
            return render_template("home/patient.html", patient=patient, sections=sections)
        case Role.CAREGIVER:
            cared_for = queries.patients_cared_for(current_user)
            return render_template(
                "home/caregiver.html",
                cared_for=cared_for,
                # whose check-in this caregiver may send (their link used to come only by text)
                checkins={
                    item.patient.id
                    for item in cared_for
                    if may(current_user, Action.SUBMIT_CHECKIN, item.patient)
                },
            )
        case Role.CLINICIAN:
            from app.trends.home import upcoming_context

            sections = sections_for("staff_home", current_user)
            db.session.commit()
            return render_template(
                "home/clinician.html",
                patients=queries.patients_on_team(current_user),
                sections=sections,
                **upcoming_context(current_user),
            )
        case Role.COORDINATOR:
            sections = sections_for("staff_home", current_user)
            db.session.commit()
            return render_template(
                "home/coordinator.html",
                patients=queries.patients_of_clinic(current_user),
                sections=sections,
            )
    return redirect(url_for("admin.index"))
