"""The versioned JSON API (`/api/v1`). Views stay thin: authenticate (hook), authorize through
app.access (deny as 404, audited), hand over to the feature's own service or query, answer
JSON; every refusal is a problem document (app/api/problems.py)."""

from __future__ import annotations

import logging
from typing import TypeVar
from uuid import UUID

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError
from spectree import Response as Resp
from werkzeug.exceptions import HTTPException

from app.access import Action, patient_or_404
from app.api import auth, diary, problems
from app.api.problems import Problem
from app.api.schemas import DiaryBody, DiaryEntryOut, ProblemOut
from app.api.spec import document, spec
from app.db import db
from app.diary import queries as diary_queries

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
        errors = [
            {"field": ".".join(str(p) for p in err["loc"]) or "body", "detail": err["msg"]}
            for err in exc.errors(include_url=False)
        ]
        raise Problem(422, errors=errors) from None


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
