"""What the API's read operations answer: each reuses the feature's own query, takes a patient
the view already authorized (app.access), and renders plain JSON (no free text a page would
not show the caller)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_login import current_user

from app.access import Action, may
from app.alerts import queries as alert_queries
from app.api import pagination
from app.api.diary import as_json as diary_json
from app.api.problems import Problem, field_errors
from app.auth.models import Role, User
from app.careplan import queries as careplan_queries
from app.careteam import queries as careteam_queries
from app.careteam.models import Patient
from app.diary import queries as diary_queries
from app.followups import queries as followup_queries
from app.instruments import queries as instrument_queries

MAX_SPAN = timedelta(days=366)


def me(user: User) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "display_name": user.display_name,
        "role": str(user.role),
        "locale": user.locale,
    }


def visible_patients(user: User) -> list[Patient]:
    """The patients the caller's own lists show them (an admin's is empty: break-glass opens a
    record one at a time, in a signed-in session, never by token)."""
    match user.role:
        case Role.PATIENT:
            own = careteam_queries.patient_for_user(user)
            return [own] if own is not None else []
        case Role.CAREGIVER:
            return [item.patient for item in careteam_queries.patients_cared_for(user)]
        case Role.CLINICIAN:
            return careteam_queries.patients_on_team(user)
        case Role.COORDINATOR:
            return careteam_queries.patients_of_clinic(user)
    return []


def patient(p: Patient) -> dict[str, Any]:
    return {
        "id": str(p.id),
        "display_name": p.display_name,
        "time_zone": str(diary_queries.patient_zone(p)),
    }


def patients(user: User) -> dict[str, Any]:
    rows = sorted(visible_patients(user), key=lambda p: str(p.id))
    return pagination.page(rows, key=lambda p: str(p.id), render=patient)


def _day_arg(raw: str | None, default: date, name: str) -> date:
    if raw is None:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Problem(400, errors=field_errors({name: _("Enter a date as YYYY-MM-DD.")})) from None


def diary_entries(p: Patient, *, start: str | None, end: str | None) -> dict[str, Any]:
    today = diary_queries.local_today(p)
    last = _day_arg(end, today, "to")
    first = _day_arg(start, last - timedelta(days=89), "from")
    if first > last or last - first > MAX_SPAN:
        raise Problem(
            400,
            errors=field_errors(
                {"from": _("The first day must not be after the last, at most 366 days apart.")}
            ),
        )
    entries = diary_queries.entries_between(p, first, last)
    return pagination.page(
        entries,
        key=lambda e: e.local_date.isoformat(),
        render=lambda e: diary_json(e, patient=p),
    )


def assignments(p: Patient) -> dict[str, Any]:
    rows = sorted(instrument_queries.assignments_for(p), key=lambda a: str(a.id))
    return pagination.page(
        rows,
        key=lambda a: str(a.id),
        render=lambda a: {
            "id": str(a.id),
            "instrument": a.instrument_id,
            "schedule": str(a.schedule_kind),
            "start_date": a.start_date.isoformat(),
            "status": str(a.status),
        },
    )


def scores(p: Patient) -> dict[str, Any]:
    """Every submitted questionnaire response with its total, band and change (newest first
    per instrument in the pages; here one list in submission order)."""
    critical = may(current_user, Action.VIEW_CRITICAL_ANSWERS, p)
    rows = []
    for history in instrument_queries.score_history(p):
        for row in history.rows:
            response = row.response
            item: dict[str, Any] = {
                "id": str(response.id),
                "instrument": history.definition.id,
                "instrument_title": history.definition.short_title,
                "submitted_at": response.submitted_at.isoformat()
                if response.submitted_at
                else None,
                "total": response.total,
                "max_total": response.max_total,
                "band": response.band,
                "subscales": response.subscales,
                "change_vs_previous": _change(row.vs_previous),
                "change_vs_baseline": _change(row.vs_baseline),
                "unanswered_items": row.missing,
            }
            if critical:
                item["critical"] = response.critical
            rows.append(item)
    rows.sort(key=lambda r: (r["submitted_at"] or "", r["id"]))
    return pagination.page(rows, key=lambda r: [r["submitted_at"] or "", r["id"]], render=dict)


def _change(result: Any) -> dict[str, Any] | None:
    return None if result is None else {"delta": result.delta, "flag": result.flag}


def care_plan_versions(p: Patient) -> dict[str, Any]:
    rows = sorted(careplan_queries.versions(p), key=lambda v: v.version)
    return pagination.page(
        rows,
        key=lambda v: v.version,
        render=lambda v: {
            "version": v.version,
            "created_at": v.created_at.isoformat(),
            "content": v.content,
        },
    )


def alerts(p: Patient) -> dict[str, Any]:
    rows = sorted(alert_queries.alerts_for(p, limit=500), key=lambda a: str(a.id))
    return pagination.page(
        rows,
        key=lambda a: str(a.id),
        render=lambda a: {
            "id": str(a.id),
            "rule": a.rule_code,
            "severity": str(a.severity),
            "created_at": a.created_at.isoformat(),
            "acknowledged_at": a.acknowledged_at.isoformat() if a.acknowledged_at else None,
            "repeat_count": a.repeat_count,
        },
    )


def followups(p: Patient) -> dict[str, Any]:
    rows = sorted(followup_queries.for_patient(p), key=lambda v: str(v.appointment.id))
    return pagination.page(
        rows,
        key=lambda v: str(v.appointment.id),
        render=lambda v: {
            "id": str(v.appointment.id),
            "starts_at": v.appointment.starts_at.isoformat(),
            "modality": str(v.appointment.modality),
            "status": str(v.appointment.status),
            "clinician": v.clinician.display_name,
        },
    )
