"""Clinician trend views: pre-visit summary (screen, print, CSV) and pathway metrics (the
caseload became the registry, app/registry).

Views are thin: validate the parameters (nothing is written for a bad one), check access
(audited), gather through summary/metrics, render.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit
from app.access import CARE_TEAM_ACTIONS, COORDINATOR_ACTIONS, Action, patient_or_404
from app.alerts.forms import AcknowledgeForm
from app.auth.models import Role
from app.careteam.contact import contact_card
from app.db import db, utcnow
from app.followups.forms import MODALITY_LABELS
from app.i18n.formatting import viewer_today
from app.instruments.labels import language_version
from app.trends import export, metrics, summary
from app.web.sections import sections_for

bp = Blueprint("trends", __name__, template_folder="templates")


def _period_or_400() -> str | ResponseReturnValue:
    try:
        return summary.parse_period(request.args.get("period"))
    except summary.BadPeriod:
        return render_template(
            "trends/bad_request.html",
            message=_("Unknown period. Choose since the last visit, 30, 90 or 365 days."),
        ), 400


def _role_allows(action: Action) -> bool:
    """After VIEW_SUMMARY was granted (team membership or clinic checked), whether the role
    also carries `action`; no further query (break-glass admins get nothing more)."""
    match current_user.role:
        case Role.CLINICIAN:
            return action in CARE_TEAM_ACTIONS
        case Role.COORDINATOR:
            return action in COORDINATOR_ACTIONS
    return False


def _summary(
    patient_id: UUID, action: Action, template: str, *, with_contact: bool = False
) -> ResponseReturnValue:
    code = _period_or_400()
    if not isinstance(code, str):
        return code
    patient = patient_or_404(patient_id, action)
    data = summary.build(patient, code=code, now=utcnow())
    sections = sections_for("summary", patient)
    contact = (
        contact_card(
            viewer=current_user, patient=patient, authorized=_role_allows(Action.VIEW_CONTACT)
        )
        if with_contact
        else None
    )
    db.session.commit()
    return render_template(
        template,
        s=data,
        patient=patient,
        sections=sections,
        contact=contact,
        can_acknowledge=_role_allows(Action.ACKNOWLEDGE_ALERT),
        can_export=_role_allows(Action.EXPORT_SUMMARY),
        can_schedule=_role_allows(Action.SCHEDULE_FOLLOWUP),
        ack_form=AcknowledgeForm(),
        # What the summary shows of follow-ups and questionnaires, passed here rather than
        # borrowed from the globals those features register for their own templates.
        modality_labels=MODALITY_LABELS,
        answered_language=language_version,
    )


@bp.get("/patients/<uuid:patient_id>/summary")
@login_required
def summary_view(patient_id: UUID) -> ResponseReturnValue:
    return _summary(patient_id, Action.VIEW_SUMMARY, "trends/summary.html", with_contact=True)


@bp.get("/patients/<uuid:patient_id>/summary/print")
@login_required
def summary_print(patient_id: UUID) -> ResponseReturnValue:
    return _summary(patient_id, Action.VIEW_SUMMARY, "trends/print.html")


@bp.get("/patients/<uuid:patient_id>/summary.csv")
@login_required
def summary_csv(patient_id: UUID) -> ResponseReturnValue:
    code = _period_or_400()
    if not isinstance(code, str):
        return code
    patient = patient_or_404(patient_id, Action.EXPORT_SUMMARY)
    data = summary.build(patient, code=code, now=utcnow())
    audit.record(
        "trends.summary_export", patient_id=patient.id, object_type="period", object_id=code
    )
    db.session.commit()
    name = f"heed-summary-{data.period.start.isoformat()}-{data.period.end.isoformat()}.csv"
    return Response(
        export.to_csv(data),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _coordinator_only() -> None:
    if current_user.role != Role.COORDINATOR or current_user.clinic_id is None:
        abort(404)


@bp.get("/metrics")
@login_required
def pathway_metrics() -> ResponseReturnValue:
    _coordinator_only()
    now = utcnow()
    today = viewer_today(now)
    try:
        start, end = metrics.parse_range(
            request.args.get("start"), request.args.get("end"), today=today
        )
    except metrics.BadRange:
        message = _(
            "Choose a start and an end date (YYYY-MM-DD), the start before the end, not in the future, at most three years apart."
        )
        return render_template("trends/bad_request.html", message=message), 400
    values = metrics.compute(current_user, start=start, end=end, now=now)
    sections = sections_for("metrics", current_user, start=start, end=end, now=now)
    audit.record(
        "trends.metrics_view",
        patient_id=None,
        object_type="clinic",
        object_id=str(current_user.clinic_id),
    )
    db.session.commit()
    return render_template(
        "trends/metrics.html",
        metrics=values,
        sections=sections,
        start=start,
        end=end,
        today=today,
    )
