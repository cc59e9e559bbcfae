"""The versioned JSON API (`/api/v1`). Views stay thin: authenticate (hook), authorize through
app.access (deny as 404, audited), hand over to the feature's own service or query, answer
JSON; every refusal is a problem document (app/api/problems.py)."""

from __future__ import annotations

import logging
from typing import TypeVar
from uuid import UUID

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    json,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from pydantic import BaseModel, ValidationError
from spectree import Response as Resp
from werkzeug.exceptions import HTTPException

from app.access import Action, may, patient_or_404
from app.api import auth, diary, fhir, problems, resources, tokens, validation
from app.api.forms import SCOPE_LABELS, RevokeForm, TokenForm
from app.api.models import TokenScope
from app.api.problems import Problem
from app.api.schemas import (
    DiaryBody,
    DiaryEntryOut,
    DiaryPage,
    DiaryQuery,
    ItemPage,
    MeOut,
    PageQuery,
    PatientOut,
    PatientPage,
    ProblemOut,
    PutHeaders,
)
from app.api.spec import document, spec
from app.careteam.models import Patient
from app.db import db, utcnow
from app.diary import queries as diary_queries
from app.forms import uuid_or_none

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")
bp.before_request(auth.authenticate)

P = "/patients/<uuid:patient_id>"
ERRORS = {f"HTTP_{code}": ProblemOut for code in (400, 401, 403, 404, 429)}


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return problems.from_http_error(exc)


@bp.errorhandler(Exception)
def _server_error(exc: Exception) -> ResponseReturnValue:
    log.exception("api error: %s", type(exc).__name__)
    db.session.rollback()
    return problems.problem(500)


def body(model: type[M]) -> M:
    """The JSON object in the request body, validated; a problem (400, 415, 422) otherwise."""
    if not request.is_json:
        raise Problem(415)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise Problem(400)
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise Problem(422, errors=validation.field_errors(exc)) from None


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(document())


@bp.get(f"{P}/diary/<day>")
@spec.validate(resp=Resp(HTTP_200=DiaryEntryOut, **ERRORS), skip_validation=True, tags=["diary"])
def diary_entry(patient_id: UUID, day: str) -> ResponseReturnValue:
    """A diary day's entry, with its version as ETag."""
    patient = patient_or_404(patient_id, Action.VIEW_DIARY)
    entry = diary_queries.entry_for_day(patient, diary.parse_day(day))
    if entry is None:
        raise Problem(404)
    return diary.entry_response(entry, patient=patient)


@bp.put(f"{P}/diary/<day>")
@spec.validate(
    json=DiaryBody,
    headers=PutHeaders,
    resp=Resp(
        HTTP_200=DiaryEntryOut,
        HTTP_201=DiaryEntryOut,
        HTTP_409=ProblemOut,
        HTTP_412=ProblemOut,
        HTTP_415=ProblemOut,
        HTTP_422=ProblemOut,
        HTTP_428=ProblemOut,
        **ERRORS,
    ),
    skip_validation=True,
    tags=["diary"],
)
def put_diary_entry(patient_id: UUID, day: str) -> ResponseReturnValue:
    """Create or change a diary day's entry (the same write path as the diary form).

    Send `If-Match` with the entry's ETag to change an existing entry (none: 428; another
    version: 412 with the current entry); none to create a day's first entry. An
    `Idempotency-Key` makes a repeat answer as the first time did, without a second write."""
    patient = patient_or_404(patient_id, Action.WRITE_DIARY)
    day_ = diary.parse_day(day)
    return diary.put(patient, day_, body(DiaryBody))


@bp.get("/me")
@spec.validate(resp=Resp(HTTP_200=MeOut, **ERRORS), skip_validation=True, tags=["people"])
def me() -> ResponseReturnValue:
    """The signed-in person (or the token's)."""
    return jsonify(resources.me(current_user))


@bp.get("/patients")
@spec.validate(
    query=PageQuery,
    resp=Resp(HTTP_200=PatientPage, **ERRORS),
    skip_validation=True,
    tags=["people"],
)
def patients() -> ResponseReturnValue:
    """The patients the caller may see, as their own lists in Heed show them."""
    return jsonify(resources.patients(current_user))


@bp.get(P)
@spec.validate(resp=Resp(HTTP_200=PatientOut, **ERRORS), skip_validation=True, tags=["people"])
def patient(patient_id: UUID) -> ResponseReturnValue:
    """One patient (404 when the caller may not see them)."""
    return jsonify(resources.patient(patient_or_404(patient_id, Action.VIEW_RECORD)))


@bp.get(f"{P}/diary")
@spec.validate(
    query=DiaryQuery, resp=Resp(HTTP_200=DiaryPage, **ERRORS), skip_validation=True, tags=["diary"]
)
def diary_entries(patient_id: UUID) -> ResponseReturnValue:
    """Diary entries by date, oldest first (`from`, `to`: at most 366 days)."""
    patient = patient_or_404(patient_id, Action.VIEW_DIARY)
    args = request.args
    return jsonify(resources.diary_entries(patient, start=args.get("from"), end=args.get("to")))


def _listing(action: Action, render) -> ResponseReturnValue:
    return jsonify(render(patient_or_404(request.view_args["patient_id"], action)))


LIST_DOC = {"query": PageQuery, "resp": Resp(HTTP_200=ItemPage, **ERRORS), "skip_validation": True}


@bp.get(f"{P}/questionnaires/assignments")
@spec.validate(**LIST_DOC, tags=["questionnaires"])
def assignments(patient_id: UUID) -> ResponseReturnValue:
    """The questionnaires assigned to the patient (instrument, schedule, status)."""
    return _listing(Action.VIEW_SCORES, resources.assignments)


@bp.get(f"{P}/questionnaires/responses")
@spec.validate(**LIST_DOC, tags=["questionnaires"])
def responses(patient_id: UUID) -> ResponseReturnValue:
    """Submitted questionnaire responses with total, severity band, subscales and change."""
    return _listing(Action.VIEW_SCORES, resources.scores)


@bp.get(f"{P}/care-plan/versions")
@spec.validate(**LIST_DOC, tags=["care plan"])
def care_plan_versions(patient_id: UUID) -> ResponseReturnValue:
    """Every version of the care plan (goals, interventions), oldest first."""
    return _listing(Action.VIEW_CARE_PLAN, resources.care_plan_versions)


@bp.get(f"{P}/alerts")
@spec.validate(**LIST_DOC, tags=["alerts"])
def alerts(patient_id: UUID) -> ResponseReturnValue:
    """The patient's alerts (care team and coordinators only)."""
    return _listing(Action.ACKNOWLEDGE_ALERT, resources.alerts)


@bp.get(f"{P}/followups")
@spec.validate(**LIST_DOC, tags=["follow-ups"])
def followups(patient_id: UUID) -> ResponseReturnValue:
    """Follow-up appointments: for the care team, and for the patient their own."""
    patient = db.session.get(Patient, patient_id)
    staff = patient is not None and may(current_user, Action.SCHEDULE_FOLLOWUP, patient)
    action = Action.SCHEDULE_FOLLOWUP if staff else Action.VIEW_NEXT_FOLLOWUP
    return _listing(action, resources.followups)


@bp.route("/<path:_rest>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def not_found(_rest: str) -> ResponseReturnValue:
    """Any other path under /api/v1 (an id that is not one, say): a problem, not a page."""
    raise Problem(404)


@bp.get("/")
def reference() -> ResponseReturnValue:
    """The readable reference: every operation of the OpenAPI document."""
    return render_template("api/reference.html", doc=document(), now=utcnow())


tokens_bp = Blueprint("api_tokens", __name__, url_prefix="/settings/tokens")


def _tokens_page(form: TokenForm, *, secret: str | None = None, status: int = 200):
    context = {
        "form": form,
        "revoke_form": RevokeForm(),
        "tokens": tokens.tokens_of(current_user),
        "allowed": tokens.may_hold_tokens(current_user),
        "scope_labels": SCOPE_LABELS,
        "secret": secret,
        "now": utcnow(),
    }
    return render_template("api/tokens.html", **context), status


@tokens_bp.get("")
@login_required
def index() -> ResponseReturnValue:
    return _tokens_page(TokenForm())


@tokens_bp.post("")
@login_required
def create() -> ResponseReturnValue:
    form = TokenForm()
    if not tokens.may_hold_tokens(current_user):
        abort(404)
    if not form.validate_on_submit():
        db.session.rollback()
        return _tokens_page(form, status=422)
    days = min(form.days.data, current_app.config["API_TOKEN_MAX_DAYS"])
    _token, secret = tokens.create_token(
        user=current_user, name=form.name.data.strip(), scope=TokenScope(form.scope.data), days=days
    )
    db.session.commit()
    # The secret is shown in this answer only (never flashed: the session cookie is readable).
    return _tokens_page(TokenForm(formdata=None), secret=secret, status=201)


@tokens_bp.post("/revoke")
@login_required
def revoke() -> ResponseReturnValue:
    form = RevokeForm()
    token_id = uuid_or_none(form.token_id.data)
    if not form.validate_on_submit() or token_id is None:
        abort(400)
    if not tokens.revoke_token(user=current_user, token_id=token_id):
        abort(404)
    db.session.commit()
    flash(_("The token is revoked: it no longer works."), "success")
    return redirect(url_for("api_tokens.index"), 303)


fhir_bp = Blueprint("fhir", __name__, url_prefix="/fhir")
fhir_bp.before_request(auth.authenticate)
fhir_bp.register_error_handler(HTTPException, _http_error)


@fhir_bp.get("/Patient/<uuid:patient_id>/$everything")
def everything(patient_id: UUID) -> ResponseReturnValue:
    """FHIR R4 Patient/$everything: for the patient, the same Bundle as their FHIR export
    (audited as an export); for their care team, the part of it the team sees on the pages
    (app/api/fhir.py); 404 for anyone else."""
    bundle = fhir.everything(fhir.patient_for_bundle(patient_id))
    db.session.commit()
    return Response(json.dumps(bundle, ensure_ascii=False), mimetype="application/fhir+json")
