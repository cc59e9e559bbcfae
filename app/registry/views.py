"""The registry page and its CSV download, for coordinators (the clinic's active patients) and
clinicians (the patients on their care teams). Thin: check the role (anyone else: 404, as for
the old caseload), gather through build.py, audit, render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit
from app.auth.models import Role
from app.db import db, utcnow
from app.i18n.formatting import viewer_today
from app.instruments.wording import signed
from app.registry import build, export
from app.trends.glance import caseload_texts

bp = Blueprint("registry", __name__, template_folder="templates")

STAFF = (Role.COORDINATOR, Role.CLINICIAN)


def _registry_or_400() -> build.Registry | ResponseReturnValue:
    if current_user.role not in STAFF or current_user.clinic_id is None:
        abort(404)
    now = utcnow()
    try:
        return build.registry(current_user, now=now, today=viewer_today(now), args=request.args)
    except build.BadParameter:
        return render_template(
            "registry/bad_request.html",
            message=_("Unknown filter or sort order. Choose one of the registry's links."),
        ), 400


def _once_per_value(render: Callable[..., Any]) -> Callable[..., Any]:
    """A template macro called once per distinct arguments (lists as tuples) for one page: a
    page of 100 rows has a handful of distinct flag lists."""
    known: dict[tuple, Any] = {}

    def call(*args: Any) -> Any:
        key = tuple(tuple(a) if isinstance(a, list) else a for a in args)
        if key not in known:
            known[key] = render(*args)
        return known[key]

    return call


@bp.get("/registry")
@login_required
def index() -> ResponseReturnValue:
    found = _registry_or_400()
    if not isinstance(found, build.Registry):
        return found
    audit.record(
        "registry.view",
        patient_id=None,
        object_type="clinic",
        object_id=str(current_user.clinic_id),
    )
    db.session.commit()
    return render_template(
        "registry/index.html",
        r=found,
        filter_labels=build.FILTER_LABELS,
        sort_labels=export.SORT_LABELS,
        args=request.args.to_dict(),
        # The trend views' cell wording, passed here rather than borrowed from their globals.
        cell_text=caseload_texts(),
        signed_number=signed,
        once_per_value=_once_per_value,
    )


@bp.get("/registry.csv")
@login_required
def download() -> ResponseReturnValue:
    found = _registry_or_400()
    if not isinstance(found, build.Registry):
        return found
    audit.record(
        "registry.export",
        patient_id=None,
        object_type="clinic",
        object_id=str(current_user.clinic_id),
    )
    db.session.commit()
    name = f"heed-registry-{viewer_today(utcnow()).isoformat()}.csv"
    return Response(
        export.to_csv(found),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/caseload")
@login_required
def caseload() -> ResponseReturnValue:
    """The caseload page the registry replaced (issue 16): old links and bookmarks land here."""
    return redirect(url_for("registry.index"), code=301)
