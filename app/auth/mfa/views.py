"""The second step of signing in (authenticator code, recovery code or passkey), signing in
with a passkey alone, and the enrolment staff must finish before anything else opens.
Routes of the `auth` blueprint; the partial state lives in `mfa.services`."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.audit import Outcome
from app.auth import onboarding
from app.auth import services as auth_services
from app.auth.mailing import send_security_notice
from app.auth.mfa import passkeys, recovery, totp
from app.auth.mfa import services as mfa
from app.auth.mfa.forms import RecoveryCodeForm, TotpCodeForm
from app.auth.mfa.pages import (
    EXPIRED,
    PASSKEY_FAILED,
    WRONG_CODE,
    WRONG_RECOVERY_CODE,
    confirm_enrolment,
    enrolment_page,
    locked_message,
)
from app.auth.mfa.passkeys import PasskeyError
from app.auth.models import User
from app.auth.views import bp
from app.db import db
from app.web.errors import json_error
from app.web.redirects import safe_next


def _restart(message: str) -> ResponseReturnValue:
    mfa.abandon()
    if current_user.is_authenticated:  # already signed in: nothing to finish
        return redirect(safe_next(None))
    flash(message, "error")
    return redirect(url_for("auth.login"))


def _done(state: mfa.Pending) -> ResponseReturnValue:
    return redirect(onboarding.landing(state.user, state.next_url))


def _refuse(state: mfa.Pending, method: str) -> datetime | None:
    """Audit and count a wrong second factor (committed: the count must survive)."""
    locked = mfa.fail(state.user, method)
    db.session.commit()
    return locked


@bp.route("/second-factor", methods=["GET", "POST"])
def mfa_verify() -> ResponseReturnValue:
    state = mfa.pending(mfa.VERIFY)
    if state is None:
        return _restart(str(EXPIRED))
    form = TotpCodeForm()
    has_totp = totp.confirmed(state.user) is not None
    if has_totp and form.validate_on_submit():
        if (until := auth_services.locked_until(state.user)) is not None:
            return _restart(locked_message(until))
        if totp.verify(user=state.user, code=form.code.data):
            mfa.complete(user=state.user, remember=state.remember, method="totp")
            db.session.commit()
            return _done(state)
        db.session.rollback()
        if (until := _refuse(state, "totp")) is not None:
            return _restart(locked_message(until))
        form.code.errors.append(str(WRONG_CODE))
    return render_template(
        "auth/mfa_verify.html",
        form=form,
        has_totp=has_totp,
        has_passkey=mfa.has_passkey(state.user),
    )


@bp.route("/second-factor/recovery", methods=["GET", "POST"])
def mfa_recovery() -> ResponseReturnValue:
    state = mfa.pending(mfa.VERIFY)
    if state is None:
        return _restart(str(EXPIRED))
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        if (until := auth_services.locked_until(state.user)) is not None:
            return _restart(locked_message(until))
        if recovery.use(user=state.user, raw=form.code.data):
            audit.record(
                "auth.recovery_code_used", object_type="recovery_code", **mfa.about(state.user)
            )
            mfa.complete(user=state.user, remember=state.remember, method="recovery_code")
            left = recovery.remaining(state.user)
            db.session.commit()
            send_security_notice(state.user, "recovery_code_used")
            flash(
                _("You used a recovery code. %(num)d left.", num=left),
                "warning" if left <= recovery.LOW else "info",
            )
            return _done(state)
        db.session.rollback()
        if (until := _refuse(state, "recovery_code")) is not None:
            return _restart(locked_message(until))
        form.code.errors.append(str(WRONG_RECOVERY_CODE))
    return render_template("auth/mfa_recovery.html", form=form)


def _json_expired() -> ResponseReturnValue:
    mfa.abandon()
    return json_error(401, "unauthorized", "mfa_expired", str(EXPIRED))


@bp.post("/second-factor/passkey/options")
def mfa_passkey_options() -> ResponseReturnValue:
    state = mfa.pending(mfa.VERIFY)
    if state is None or not mfa.has_passkey(state.user):
        return _json_expired()
    return passkeys.authentication_options(state.user), 200, {"Content-Type": "application/json"}


@bp.post("/second-factor/passkey")
def mfa_passkey() -> ResponseReturnValue:
    state = mfa.pending(mfa.VERIFY)
    if state is None:
        return _json_expired()
    if (until := auth_services.locked_until(state.user)) is not None:
        mfa.abandon()
        return json_error(403, "forbidden", "locked", locked_message(until))
    try:
        credential, _name = passkeys.parse_body(request.get_data())
        passkeys.authenticate(credential=credential, user=state.user)
    except PasskeyError:
        db.session.rollback()
        if (until := _refuse(state, "passkey")) is not None:
            mfa.abandon()
            return json_error(403, "forbidden", "locked", locked_message(until))
        return json_error(400, "bad_request", "passkey_failed", str(PASSKEY_FAILED))
    mfa.complete(user=state.user, remember=state.remember, method="passkey")
    db.session.commit()
    return {"redirect": onboarding.landing(state.user, state.next_url)}


@bp.post("/passkey/options")
def passkey_sign_in_options() -> ResponseReturnValue:
    """Sign in with a passkey alone (a discoverable key with user verification)."""
    return passkeys.authentication_options(None), 200, {"Content-Type": "application/json"}


@bp.post("/passkey")
def passkey_sign_in() -> ResponseReturnValue:
    credential = None
    try:
        credential, _name = passkeys.parse_body(request.get_data())
        key = passkeys.authenticate(credential=credential, user=None)
    except PasskeyError:
        db.session.rollback()
        person = passkeys.owner(credential) if credential is not None else None
        if person is None:
            audit.record(
                "auth.mfa_failed", patient_id=None, object_type="passkey", outcome=Outcome.DENIED
            )
        elif mfa.fail(person, "passkey") is not None:  # counted like a wrong password
            db.session.commit()
            return json_error(403, "forbidden", "locked", str(PASSKEY_FAILED))
        db.session.commit()
        return json_error(400, "bad_request", "passkey_failed", str(PASSKEY_FAILED))
    user = db.session.get(User, key.user_id)
    if user is None or not user.is_active:
        db.session.rollback()
        return json_error(400, "bad_request", "passkey_failed", str(PASSKEY_FAILED))
    if (until := auth_services.locked_until(user)) is not None:
        db.session.rollback()
        return json_error(403, "forbidden", "locked", locked_message(until))
    user.last_login_at = key.last_used_at
    mfa.complete(user=user, remember=False, method="passkey")
    db.session.commit()
    return {"redirect": onboarding.landing(user, request.args.get("next"))}


# --- enrolment (REQUIRE_STAFF_2FA: after the password, before anything else) ---------------


@bp.route("/second-factor/setup", methods=["GET", "POST"])
def mfa_enrol() -> ResponseReturnValue:
    state = mfa.pending(mfa.ENROL)
    if state is None:
        return _restart(str(EXPIRED))
    if totp.factor(state.user) is None:  # the secret stays the same across reloads
        totp.start_enrolment(user=state.user)
        db.session.commit()
    form = TotpCodeForm()
    if form.validate_on_submit():
        codes = confirm_enrolment(state.user, form)
        if codes is not None:
            mfa.complete(user=state.user, remember=state.remember, method="totp")
            db.session.commit()
            send_security_notice(state.user, "enrolled")
            return render_template(
                "auth/mfa_codes.html", codes=codes, next_url=safe_next(state.next_url)
            )
        db.session.rollback()
        if (until := _refuse(state, "totp")) is not None:
            return _restart(locked_message(until))
        form.code.errors.append(str(WRONG_CODE))
    return enrolment_page(state.user, form, action=url_for("auth.mfa_enrol"))
