"""The diary over the API: an entry as JSON (named as the form names its fields), its ETag,
and the conditional, idempotent PUT handed to the diary's one write path
(`app.diary.services.submit_entry`)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import Response, json, request
from flask_login import current_user

from app.access import Action, may
from app.api import validation
from app.api.problems import Problem, field_errors
from app.api.schemas import DiaryBody
from app.careteam.models import Patient
from app.db import db
from app.diary import queries, services
from app.diary.models import DiaryEntry, EntryMode
from app.web.offline import API_KEY_NAMESPACE

# Idempotency keys name a submission per person: the same key from two people never collides.
# The offline diary's script posts forms under the id this makes of its key (app/web/offline.py).
KEY_NAMESPACE = API_KEY_NAMESPACE
MAX_KEY = 255


def parse_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Problem(400, errors=field_errors({"date": str(validation.A_DATE)})) from None


def etag(entry: DiaryEntry) -> str:
    return f'"{entry.version}"'


def as_json(entry: DiaryEntry, *, patient: Patient) -> dict[str, Any]:
    values = queries.values_from_entry(entry)
    private = patient.user_id == current_user.id or may(
        current_user, Action.READ_PATIENT_TEXTS, patient
    )
    out: dict[str, Any] = {
        name: getattr(values, name)
        for name in (
            "overall_symptoms",
            "mood",
            "stress",
            "energy",
            "sleep_quality",
            "night_awakenings",
            "rest_breaks",
            "within_limits",
        )
    }
    for name in ("bedtime", "wake_time"):
        moment = getattr(values, name)
        out[name] = moment.isoformat(timespec="minutes") if moment is not None else None
    out["triggers"] = sorted(values.triggers)
    if private:
        out["notes"] = values.notes
        out["custom_triggers"] = list(values.custom_triggers)
    for key, score in values.symptoms.items():
        out[f"symptom-{key}"] = score
    for key, site in values.body_sites.items():
        out[f"site-{key}"] = site
    for kind, block in values.activities.items():
        out[f"activity-{kind}-planned"] = block.planned_minutes
        out[f"activity-{kind}-done"] = block.done_minutes
        out[f"activity-{kind}-exertion"] = block.exertion
    return {
        "date": entry.local_date.isoformat(),
        "version": entry.version,
        "mode": str(entry.mode),
        "updated_at": entry.updated_at.isoformat(),
        "values": out,
    }


def entry_response(entry: DiaryEntry, *, patient: Patient, status: int = 200) -> Response:
    response = Response(
        json.dumps(as_json(entry, patient=patient)), status=status, mimetype="application/json"
    )
    response.headers["ETag"] = etag(entry)
    return response


def version_check() -> services.VersionCheck:
    raw = request.headers.get("If-Match")
    if raw is None:
        return services.VersionCheck(sent=False)
    raw = raw.strip()
    if raw == "*":
        return services.VersionCheck(sent=True)
    tag = raw.removeprefix("W/").strip('"')
    if not tag.isdigit():
        # An ETag this API never gave: it matches no version of the entry.
        return services.VersionCheck(sent=True, version=-1)
    return services.VersionCheck(sent=True, version=int(tag))


def submission_id() -> uuid.UUID:
    """The Idempotency-Key, as the diary's submission id (scoped to the caller); a new id when
    the caller sent none (the PUT is then still safe to repeat under the same If-Match)."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return uuid.uuid4()
    if len(key) > MAX_KEY:
        too_long = str(validation.MESSAGES["string_too_long"]) % {"max_length": MAX_KEY}
        raise Problem(400, errors=field_errors({"Idempotency-Key": str(too_long)}))
    return uuid.uuid5(KEY_NAMESPACE, f"{current_user.id}:{key}")


def put(patient: Patient, day: date, body: DiaryBody) -> Response:
    today = queries.local_today(patient)
    data = {**body.form_data(), "submission_id": str(submission_id())}
    submission = services.submit_entry(
        patient=patient,
        local_date=day,
        today=today,
        mode=EntryMode(body.mode),
        data=data,
        actor=current_user,
        check=version_check(),
    )
    if submission.result is not None:
        result = submission.result
        return entry_response(result.entry, patient=patient, status=201 if result.created else 200)
    db.session.rollback()
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if submission.current is not None:
        current = queries.entry_for_day(patient, day)
        if current is not None:
            extra["current"] = as_json(current, patient=patient)
            headers["ETag"] = etag(current)
    raise Problem(
        submission.status,
        errors=field_errors(dict(submission.errors)),
        headers=headers,
        **extra,
    )
