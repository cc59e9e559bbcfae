"""Security settings of the signed-in person: the authenticator app, passkeys (added through
the browser's ceremony, the one place that needs JavaScript) and recovery codes."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import audit
from app.auth.mailing import send_security_notice
from app.auth.mfa import passkeys, recovery, totp
from app.auth.mfa import services as mfa
from app.auth.mfa.forms import ConfirmPasswordForm, PasskeyNameForm, RegenerateForm, TotpCodeForm
from app.auth.mfa.pages import WRONG_CODE, confirm_enrolment, enrolment_page
from app.auth.mfa.passkeys import PasskeyError
from app.auth.views import bp
from app.db import db
from app.security import verify_password
from app.web.errors import json_error

FRESH = timedelta(minutes=5)
WRONG_PASSWORD = _l("That password is not right.")
LAST_FACTOR = _l("Your account needs a second factor. Add another one before you remove this one.")


def _keeps_a_factor_after(removing: str) -> bool:
    """Whether removing this factor leaves the person allowed in (REQUIRE_STAFF_2FA)."""
    if not current_user.is_staff or not mfa.has_second_factor(current_user):
        return True
    if not current_app.config["REQUIRE_STAFF_2FA"]:
        return True
    has_totp = totp.confirmed(current_user) is not None
    others = len(passkeys.keys(current_user)) - (1 if removing == "passkey" else 0)
    return others > 0 or (has_totp and removing != "totp")


@bp.get("/security")
@login_required
def mfa_settings() -> ResponseReturnValue:
    return render_template(
        "auth/mfa_settings.html",
        totp_factor=totp.confirmed(current_user),
        keys=passkeys.keys(current_user),
        codes_left=recovery.remaining(current_user),
        has_factor=mfa.has_second_factor(current_user),
        low=recovery.LOW,
        remove_form=ConfirmPasswordForm(),
        regenerate_form=RegenerateForm(),
    )


@bp.route("/security/authenticator", methods=["GET", "POST"])
@login_required
def mfa_totp_setup() -> ResponseReturnValue:
    if totp.confirmed(current_user) is not None:
        return redirect(url_for("auth.mfa_settings"))
    form = TotpCodeForm()
    if request.method == "GET":
        totp.start_enrolment(user=current_user)  # a new secret each time the page is shown
        db.session.commit()
    elif form.validate_on_submit():
        codes = confirm_enrolment(current_user, form)
        if codes is not None:
            db.session.commit()
            send_security_notice(current_user, "enrolled")
            return render_template(
                "auth/mfa_codes.html", codes=codes, next_url=url_for("auth.mfa_settings")
            )
        db.session.rollback()
        form.code.errors.append(str(WRONG_CODE))
    if totp.factor(current_user) is None:
        return redirect(url_for("auth.mfa_totp_setup"))
    return enrolment_page(current_user, form, action=url_for("auth.mfa_totp_setup"))


def _password_confirmed(form: ConfirmPasswordForm) -> bool:
    if not form.validate_on_submit():
        return False
    if verify_password(current_user.password_hash, form.password.data):
        return True
    flash(str(WRONG_PASSWORD), "error")
    return False


@bp.post("/security/authenticator/remove")
@login_required
def mfa_totp_remove() -> ResponseReturnValue:
    form = ConfirmPasswordForm()
    if not _keeps_a_factor_after("totp"):
        flash(str(LAST_FACTOR), "error")
    elif _password_confirmed(form) and mfa.remove_totp(user=current_user):
        db.session.commit()
        send_security_notice(current_user, "removed")
        flash(_("The authenticator app is removed."), "info")
    return redirect(url_for("auth.mfa_settings"))


@bp.post("/security/passkeys/<uuid:key_id>/remove")
@login_required
def mfa_passkey_remove(key_id: uuid.UUID) -> ResponseReturnValue:
    form = ConfirmPasswordForm()
    if not _keeps_a_factor_after("passkey"):
        flash(str(LAST_FACTOR), "error")
    elif _password_confirmed(form):
        if passkeys.remove(user=current_user, key_id=key_id) is None:
            return redirect(url_for("auth.mfa_settings")), 404  # type: ignore[return-value]
        mfa.after_passkey_removed(current_user)
        db.session.commit()
        send_security_notice(current_user, "removed")
        flash(_("The passkey is removed."), "info")
    return redirect(url_for("auth.mfa_settings"))


@bp.get("/security/passkeys/new")
@login_required
def mfa_passkey_new() -> ResponseReturnValue:
    return render_template("auth/mfa_passkey_new.html", form=PasskeyNameForm())


@bp.post("/security/passkeys/options")
@login_required
def mfa_passkey_register_options() -> ResponseReturnValue:
    return passkeys.registration_options(current_user), 200, {"Content-Type": "application/json"}


@bp.post("/security/passkeys")
@login_required
def mfa_passkey_register() -> ResponseReturnValue:
    try:
        credential, name = passkeys.parse_body(request.get_data())
        form = PasskeyNameForm(data={"name": name}, meta={"csrf": False})
        if not form.validate():
            return json_error(400, "bad_request", "name", str(form.name.errors[0]))
        passkeys.register(user=current_user, credential=credential, name=name)
    except PasskeyError:
        db.session.rollback()
        return json_error(
            400, "bad_request", "passkey_failed", _("The passkey could not be added. Try again.")
        )
    audit.record("auth.mfa_enrolled", object_type="passkey", **mfa.about(current_user))
    mfa.mark_verified()  # the key was just used: a fresh second factor
    db.session.commit()
    send_security_notice(current_user, "enrolled")
    flash(_("The passkey is added."), "info")
    return {"redirect": url_for("auth.mfa_settings")}


@bp.post("/security/recovery-codes")
@login_required
def mfa_recovery_codes() -> ResponseReturnValue:
    """New recovery codes, shown once; they replace every earlier one. Needs a fresh second
    factor: a current authenticator code, or a passkey used in the last five minutes."""
    form = RegenerateForm()
    if not mfa.has_second_factor(current_user) or not form.validate_on_submit():
        return redirect(url_for("auth.mfa_settings"))
    if totp.confirmed(current_user) is not None:
        fresh = bool(form.code.data) and totp.verify(user=current_user, code=form.code.data)
    else:
        fresh = mfa.verified_recently(FRESH)
    if not fresh:
        db.session.rollback()
        form.code.errors.append(str(WRONG_CODE) if form.code.data else _("Enter the code."))
        return render_template(
            "auth/mfa_settings.html",
            totp_factor=totp.confirmed(current_user),
            keys=passkeys.keys(current_user),
            codes_left=recovery.remaining(current_user),
            has_factor=True,
            low=recovery.LOW,
            remove_form=ConfirmPasswordForm(),
            regenerate_form=form,
        )
    codes = recovery.replace_codes(user=current_user)
    audit.record(
        "auth.recovery_codes_generated", object_type="recovery_code", **mfa.about(current_user)
    )
    db.session.commit()
    return render_template(
        "auth/mfa_codes.html", codes=codes, next_url=url_for("auth.mfa_settings")
    )
