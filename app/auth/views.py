from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth import onboarding, services
from app.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    OnboardingForm,
    PreferencesForm,
    ResetRequestForm,
    SetPasswordForm,
    SmsConsentForm,
)
from app.auth.mailing import send_password_reset
from app.auth.mfa import services as mfa
from app.auth.mfa import totp
from app.auth.models import TokenPurpose, User
from app.auth.services import AccountError
from app.careteam import services as careteam
from app.careteam.models import ConsentChannel, WithdrawalSource
from app.db import db
from app.i18n import formatting, remember_language, speak_link_language, supported
from app.web.redirects import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")
welcome = Blueprint("welcome", __name__, url_prefix="/welcome", template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(email=form.email.data, password=form.password.data)
        db.session.commit()
        if result.user is not None:
            return _after_password(result.user, remember=bool(form.remember.data))
        if result.locked_until is not None:
            flash(
                _(
                    "Too many failed attempts. Try again after %(time)s or reset your password.",
                    time=formatting.datetime(result.locked_until),
                ),
                "error",
            )
        else:
            flash(_("That email and password do not match an account."), "error")
    return render_template("auth/login.html", form=form)


def _after_password(user: User, *, remember: bool) -> Response:
    """The password is right: ask for the second factor, or (REQUIRE_STAFF_2FA) set one up
    first; only then is the person signed in. Without either, sign in now."""
    next_url = request.args.get("next")
    if mfa.has_second_factor(user):
        mfa.begin(user=user, stage=mfa.VERIFY, remember=remember, next_url=next_url)
        db.session.commit()
        return redirect(url_for("auth.mfa_verify"))
    if mfa.must_enrol(user):
        totp.start_enrolment(user=user)  # a new secret for every enrolment
        mfa.begin(user=user, stage=mfa.ENROL, remember=remember, next_url=next_url)
        db.session.commit()
        return redirect(url_for("auth.mfa_enrol"))
    mfa.complete(user=user, remember=remember, method=None)
    db.session.commit()
    return redirect(onboarding.landing(user, next_url))


@bp.post("/logout")
@login_required
def logout() -> Response:
    services.end_all_sessions(current_user)
    db.session.commit()
    locale = current_user.locale
    logout_user()
    remember_language(locale)
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request() -> str | Response:
    form = ResetRequestForm()
    if form.validate_on_submit():
        issued = services.request_password_reset(email=form.email.data)
        db.session.commit()
        if issued is not None:
            send_password_reset(*issued)
        # Same answer whether or not the account exists.
        flash(_("If that address has an account, we have sent it a reset link."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


def _set_password(token: str, purpose: TokenPurpose, template: str) -> str | Response:
    link = services.peek_token(token, purpose)
    if link is None:
        speak_link_language(services.token_owner_locale(token))
        return render_template("auth/token_invalid.html"), 410  # type: ignore[return-value]
    speak_link_language(link.user.locale)
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = services.set_password_with_token(
            raw_token=token, purpose=purpose, password=form.password.data
        )
        if user is None:
            db.session.rollback()
            return render_template("auth/token_invalid.html"), 410  # type: ignore[return-value]
        db.session.commit()
        remember_language(user.locale)
        flash(_("Your password is saved. Please sign in."), "info")
        return redirect(url_for("auth.login"))
    return render_template(template, form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    return _set_password(token, TokenPurpose.PASSWORD_RESET, "auth/reset_password.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response:
    return _set_password(token, TokenPurpose.INVITATION, "auth/accept_invitation.html")


def _settings_page(
    *,
    form: PreferencesForm | None = None,
    sms_form: SmsConsentForm | None = None,
    password_form: ChangePasswordForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The settings page; the form that was refused comes back with its fields marked."""
    return render_template(
        "auth/settings.html",
        form=form or PreferencesForm(obj=current_user, formdata=None),
        idle=current_app.config["STAFF_IDLE_TIMEOUT"],
        sms_form=sms_form or SmsConsentForm(formdata=None),
        sms_consent=careteam.active_sms_consent(current_user),
        wording=careteam.SMS_CONSENT_WORDING,
        password_form=password_form or ChangePasswordForm(formdata=None),
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    form = PreferencesForm(obj=current_user)
    if form.validate_on_submit():
        services.update_preferences(
            user=current_user,
            locale=supported(form.locale.data),
            timezone=form.timezone.data,
            phone=form.phone.data or "",  # empty removes the number
        )
        db.session.commit()
        flash(_("Your settings are saved."), "info")
        return redirect(url_for("auth.settings"))
    return _settings_page(form=form, status=400 if form.is_submitted() else 200)


@bp.post("/settings/text-messages")
@login_required
def sms_consent() -> ResponseReturnValue:
    """Agree to text messages (wording stored as shown) or withdraw, effective immediately."""
    form = SmsConsentForm()
    if form.validate_on_submit():
        if form.stop.data:
            careteam.withdraw_sms_consent(user=current_user, source=WithdrawalSource.SETTINGS)
            flash(_("Text messages are stopped. Your care team can see this."), "info")
        else:
            try:
                careteam.record_sms_consent(
                    user=current_user, channel=ConsentChannel.WEB, recorded_by=current_user
                )
            except AccountError as error:
                db.session.rollback()
                # The missing number is the field to fix: mark it, with the message beside it.
                preferences = PreferencesForm(obj=current_user, formdata=None)
                preferences.phone.errors = [error.message]
                return _settings_page(form=preferences, status=400)
            flash(_("Thank you. You can stop text messages here or by replying STOP."), "info")
        db.session.commit()
    return redirect(url_for("auth.settings"))


@bp.post("/settings/password")
@login_required
def change_password() -> ResponseReturnValue:
    """Change one's own password; every other session and device is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if form.password.data == form.current_password.data:
            form.password.errors = [_("Choose a new password, not the current one.")]
        else:
            result = services.change_password(
                user=current_user, current=form.current_password.data, new=form.password.data
            )
            if result.user is not None:
                db.session.commit()
                login_user(result.user)  # this session stays signed in with the new version
                flash(
                    _("Your password is changed. Other devices using this account are signed out."),
                    "success",
                )
                return redirect(url_for("auth.settings"))
            db.session.commit()  # the failed attempt counts towards the lockout
            form.current_password.errors = [
                _(
                    "Too many failed attempts. Try again after %(time)s.",
                    time=formatting.datetime(result.locked_until),
                )
                if result.locked_until is not None
                else _("That is not your current password.")
            ]
    return _settings_page(password_form=form, status=400)


@welcome.get("/<int:number>")
@login_required
def step(number: int) -> str | Response:
    """One screen of the introduction; staff have none (they go home)."""
    if current_user.is_staff:
        return redirect(url_for("home.index"))
    if not 1 <= number <= len(onboarding.STEPS):
        return redirect(url_for("welcome.step", number=1, next=request.args.get("next")))
    key = onboarding.STEPS[number - 1]
    return render_template(
        "auth/welcome.html",
        number=number,
        total=len(onboarding.STEPS),
        key=key,
        form=OnboardingForm(next=request.args.get("next") or ""),
        next_page=request.args.get("next") or None,
        resources=onboarding.crisis_resources(current_user) if key == "safety" else [],
    )


@welcome.post("/done")
@login_required
def done() -> Response:
    """Finish or skip: the introduction is not shown at sign-in again."""
    form = OnboardingForm()
    if form.validate_on_submit() and not current_user.is_staff:
        services.finish_onboarding(user=current_user)
        db.session.commit()
    return redirect(safe_next(form.next.data))


# The second-factor routes join this blueprint (imported last: they use `bp`).
from app.auth.mfa import settings_views, views  # noqa: E402, F401
