"""Case-conference pages. A conference is seen by its invited members and the clinic's
coordinators; each patient on it only by those who may see that patient's summary. Every view
of a patient's discussion is audited; every change goes through `services`."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit
from app.access import Action, patient_or_404
from app.auth.models import Role
from app.conferences import decisions, forms, pages, queries, services
from app.conferences.models import (
    ActionKind,
    Attendance,
    CaseConference,
    ConferenceAction,
    Modality,
)
from app.conferences.services import ConferenceError
from app.db import db, utcnow
from app.forms import uuid_or_none
from app.i18n.formatting import viewer_today
from app.labels import DISCIPLINE_LABELS

bp = Blueprint("conferences", __name__, url_prefix="/conferences", template_folder="templates")


def _staff() -> None:
    if current_user.role not in {Role.CLINICIAN, Role.COORDINATOR}:
        abort(404)


def _conference_or_404(conference_id: UUID) -> CaseConference:
    _staff()
    conference = queries.conference(conference_id)
    if conference is None or not queries.may_see(current_user, conference):
        abort(404)
    return conference


def _refused(_error: ConferenceError, patient_id: UUID | None = None) -> None:
    db.session.rollback()
    audit.record("conference.refused", patient_id=patient_id, outcome=audit.Outcome.DENIED)
    db.session.commit()


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    _staff()
    return render_template(
        "conferences/index.html",
        conferences=queries.for_user(current_user),
        can_schedule=current_user.role == Role.COORDINATOR,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def schedule() -> ResponseReturnValue:
    if current_user.role != Role.COORDINATOR:
        abort(404)
    form = forms.ScheduleForm()
    form.members.choices = [
        (str(u.id), f"{u.display_name} · {DISCIPLINE_LABELS[u.discipline]}")
        for u in pages.clinicians()
    ]
    zone = current_user.clinic.timezone if current_user.clinic else "UTC"
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                conference = services.schedule(
                    coordinator=current_user,
                    starts_at=pages.utc_start(form, zone),
                    modality=Modality(form.modality.data),
                    video_url=form.video_url.data,
                    member_ids=[uuid_or_none(raw) for raw in form.members.data or []],  # type: ignore[misc]
                    now=utcnow(),
                )
            except ConferenceError as error:
                _refused(error)
                pages.mark(form, error)
            else:
                db.session.commit()
                flash(_("The conference is scheduled."), "info")
                return redirect(url_for("conferences.detail", conference_id=conference.id))
    return render_template("conferences/schedule.html", form=form, zone=zone), status


@bp.get("/<uuid:conference_id>")
@login_required
def detail(conference_id: UUID) -> ResponseReturnValue:
    conference = _conference_or_404(conference_id)
    return pages.detail_page(conference, forms.NominateForm(), status=200)


def _change(conference_id: UUID, change, *, manage: bool = False) -> ResponseReturnValue:
    conference = _conference_or_404(conference_id)
    if manage and not queries.may_manage(current_user, conference):
        abort(404)
    try:
        change(conference)
    except ConferenceError as error:
        _refused(error)
        flash(str(error.message), "error")
        return pages.detail_page(conference, forms.NominateForm(formdata=None), status=409)
    db.session.commit()
    return redirect(url_for("conferences.detail", conference_id=conference.id))


STEPS = {"freeze": services.freeze, "start": services.start, "finish": services.finish}
"""The coordinator's steps of a conference, each a service taking `conference` and `now`."""


@bp.post("/<uuid:conference_id>/freeze", endpoint="freeze", defaults={"step": "freeze"})
@bp.post("/<uuid:conference_id>/start", endpoint="start", defaults={"step": "start"})
@bp.post("/<uuid:conference_id>/finish", endpoint="finish", defaults={"step": "finish"})
@login_required
def take_step(conference_id: UUID, step: str) -> ResponseReturnValue:
    forms.PlainForm().validate_on_submit() or abort(400)
    service = STEPS[step]
    return _change(conference_id, lambda c: service(conference=c, now=utcnow()), manage=True)


@bp.post("/<uuid:conference_id>/attendance")
@login_required
def attendance(conference_id: UUID) -> ResponseReturnValue:
    forms.PlainForm().validate_on_submit() or abort(400)
    values = {}
    for key, raw in request.form.items():
        member_id = uuid_or_none(key.removeprefix("attendance-"))
        if key.startswith("attendance-") and member_id and raw in set(Attendance):
            values[member_id] = Attendance(raw)
    return _change(conference_id, lambda c: services.record_attendance(conference=c, values=values))


@bp.post("/<uuid:conference_id>/nominate")
@login_required
def nominate(conference_id: UUID) -> ResponseReturnValue:
    conference = _conference_or_404(conference_id)
    form = forms.NominateForm()
    patient_id = uuid_or_none(form.patient.data)
    candidates = queries.nominable(current_user, conference)
    if form.validate_on_submit() and patient_id is not None:
        patient = candidates.get(patient_id)
        try:
            if patient is None:
                raise ConferenceError(
                    _("Choose a patient of the invited members' care teams."), "patient"
                )
            services.nominate(
                conference=conference,
                patient=patient,
                by=current_user,
                reason=form.reason.data,
                now=utcnow(),
            )
        except ConferenceError as error:
            _refused(error, patient.id if patient else None)
            pages.mark(form, error)
        else:
            db.session.commit()
            flash(_("The patient is on the agenda."), "info")
            return redirect(url_for("conferences.detail", conference_id=conference.id))
    elif patient_id is None and not form.patient.errors:
        form.patient.errors = [_("Choose a patient.")]
    return pages.detail_page(conference, form, status=400)


@bp.post("/<uuid:conference_id>/items/<uuid:item_id>/remove")
@login_required
def remove(conference_id: UUID, item_id: UUID) -> ResponseReturnValue:
    conference = _conference_or_404(conference_id)
    item = queries.item(conference, item_id)
    if item is None:
        abort(404)
    patient_or_404(item.patient_id, Action.VIEW_SUMMARY)
    form = forms.RemoveForm()
    try:
        if not form.validate_on_submit():
            raise ConferenceError(
                form.reason.errors[0] if form.reason.errors else _("Give a reason.")
            )
        services.remove(
            conference=conference, item=item, by=current_user, reason=form.reason.data, now=utcnow()
        )
    except ConferenceError as error:
        _refused(error, item.patient_id)
        flash(str(error.message), "error")
        return pages.detail_page(conference, forms.NominateForm(formdata=None), status=400)
    db.session.commit()
    return redirect(url_for("conferences.detail", conference_id=conference.id))


# -- One patient at the conference: snapshot, note, decisions ------------------------------------


def _item_or_404(conference: CaseConference, item_id: UUID):
    item = queries.item(conference, item_id)
    if item is None:
        abort(404)
    patient = patient_or_404(item.patient_id, Action.VIEW_SUMMARY)
    return item, patient


@bp.get("/<uuid:conference_id>/items/<uuid:item_id>")
@login_required
def item(conference_id: UUID, item_id: UUID) -> ResponseReturnValue:
    conference = _conference_or_404(conference_id)
    agenda_item, patient = _item_or_404(conference, item_id)
    note = forms.NoteForm(formdata=None, obj=agenda_item)
    return pages.item_page(
        conference, agenda_item, patient, note, pages.action_form(conference, agenda_item)
    )


@bp.post("/<uuid:conference_id>/items/<uuid:item_id>/note")
@login_required
def note(conference_id: UUID, item_id: UUID) -> ResponseReturnValue:
    conference = _conference_or_404(conference_id)
    agenda_item, patient = _item_or_404(conference, item_id)
    form = forms.NoteForm()
    if form.validate_on_submit():
        try:
            services.save_note(
                conference=conference,
                item=agenda_item,
                by=current_user,
                discussed=form.discussed.data,
                hypotheses=form.hypotheses.data,
                disagreements=form.disagreements.data,
                uncertainty=form.uncertainty.data,
                now=utcnow(),
            )
        except ConferenceError as error:
            _refused(error, patient.id)
            pages.mark(form, error)
        else:
            db.session.commit()
            flash(_("The note is saved."), "info")
            return redirect(_item_url(conference, agenda_item))
    action_form = pages.action_form(conference, agenda_item)
    return pages.item_page(conference, agenda_item, patient, form, action_form, status=400)


def _item_url(conference, agenda_item) -> str:
    return url_for("conferences.item", conference_id=conference.id, item_id=agenda_item.id)


@bp.post("/<uuid:conference_id>/items/<uuid:item_id>/actions")
@login_required
def add_action(conference_id: UUID, item_id: UUID) -> ResponseReturnValue:
    conference = _conference_or_404(conference_id)
    agenda_item, patient = _item_or_404(conference, item_id)
    form = pages.action_form(conference, agenda_item, request.form)
    if form.validate_on_submit():
        try:
            decisions.add_action(
                conference=conference,
                item=agenda_item,
                kind=ActionKind(form.kind.data),
                description=form.description.data,
                owner_id=uuid_or_none(form.owner.data),
                due_on=form.due_on.data,
                by=current_user,
                today=viewer_today(),
            )
        except ConferenceError as error:
            _refused(error, patient.id)
            pages.mark(form, error)
        else:
            db.session.commit()
            flash(_("The decision is recorded."), "info")
            return redirect(_item_url(conference, agenda_item))
    note_form = forms.NoteForm(formdata=None, obj=agenda_item)
    return pages.item_page(conference, agenda_item, patient, note_form, form, status=400)


# -- Tracking an action to done ------------------------------------------------------------------


@bp.route("/actions/<uuid:action_id>", methods=["GET", "POST"])
@login_required
def action(action_id: UUID) -> ResponseReturnValue:
    _staff()
    found = db.session.get(ConferenceAction, action_id)
    if found is None:
        abort(404)
    conference = db.session.get(CaseConference, found.conference_id)
    owner = found.owner_id == current_user.id
    if conference is None or not (owner or queries.may_see(current_user, conference)):
        abort(404)
    patient = patient_or_404(found.patient_id, Action.VIEW_SUMMARY)
    form, status = forms.CloseForm(), 200
    if request.method == "POST":
        status = 400
        decline = request.form.get("decision") == "decline"
        if form.validate_on_submit():
            try:
                decisions.close_action(
                    action=found,
                    by=current_user,
                    decline=decline,
                    reason=form.reason.data,
                    now=utcnow(),
                )
            except ConferenceError as error:
                _refused(error, patient.id)
                pages.mark(form, error)
            else:
                db.session.commit()
                flash(_("The action is closed."), "info")
                return redirect(url_for("conferences.action", action_id=found.id))
    audit.record(
        "conference.item_view",
        patient_id=patient.id,
        object_type="conference_action",
        object_id=str(found.id),
    )
    db.session.commit()
    return render_template(
        "conferences/action.html",
        action=found,
        conference=conference,
        patient=patient,
        form=form,
        is_owner=owner,
        link=pages.kind_link(found, patient),
        zone=pages.zone(conference),
    ), status
