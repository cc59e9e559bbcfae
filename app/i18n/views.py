from __future__ import annotations

from flask import Blueprint, flash, redirect, request, session
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.services import update_preferences
from app.db import db
from app.i18n import supported
from app.web.redirects import safe_next

bp = Blueprint("i18n", __name__)


@bp.post("/locale")
def switch_locale() -> Response:
    """The language switcher: remembered in the session and, when signed in, on the account."""
    chosen = supported(request.form.get("locale"))
    if chosen is None:
        flash(_("That language is not available."), "error")
    else:
        session["locale"] = chosen
        if current_user.is_authenticated:
            update_preferences(user=current_user, locale=chosen)
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))
