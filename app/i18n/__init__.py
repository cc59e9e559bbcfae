"""Locale and time zone selection, text direction, and the language switcher."""

from __future__ import annotations

from contextlib import AbstractContextManager as ContextManager
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import Flask, current_app, g, request, session
from flask_babel import Babel, force_locale, get_locale, refresh
from flask_login import current_user

from app.config import RTL_LOCALES
from app.i18n import formatting
from app.i18n.names import language_name, locale_names

babel = Babel()


def supported(locale: str | None) -> str | None:
    """The locale if Heed ships it, else None (rejects `zz`, `../x` and friends)."""
    if locale and locale in current_app.config["SUPPORTED_LOCALES"]:
        return locale
    return None


def recipient_locale(locale: str | None) -> str:
    """The locale to write to someone in (texts, emails, stored consent wording): their
    stored one when Heed ships it, else the default. A stored `zz` never reaches Babel."""
    return supported(locale) or current_app.config["DEFAULT_LOCALE"]


def force_recipient_locale(locale: str | None) -> ContextManager[None]:
    """`force_locale` for a recipient's stored locale, through `recipient_locale`."""
    return force_locale(recipient_locale(locale))


LINK_LOCALE = "heed_link_locale"  # on `g`: this request answers a link made for someone
LAST_LOCALE = "last_locale"  # in the session: the language of whoever signed out last


def speak_link_language(locale: str | None) -> None:
    """This request answers a link made for one person (an invitation, a password reset, a
    text-message link): the page speaks their stored language (unless this browser chose one
    with the switcher), not the language of whoever happens to be signed out."""
    chosen = supported(locale)
    if chosen:
        setattr(g, LINK_LOCALE, chosen)
        refresh()


def remember_language(locale: str | None) -> None:
    """Keep speaking this person's language to this browser once they are signed out (after
    signing out, erasing their data, or setting a password from a link): the sign-in page that
    follows and its message are in their language, not the browser's. A choice they made with
    the switcher while signed in is theirs, not the next visitor's: it gives way to this."""
    session.pop("locale", None)
    chosen = supported(locale)
    if chosen:
        session[LAST_LOCALE] = chosen
    refresh()


def select_locale() -> str:
    """User's saved preference, then the switcher's choice, then the language of the link the
    page answers (`speak_link_language`), then that of whoever signed out here last
    (`remember_language`), then Accept-Language, then the default."""
    if current_user and current_user.is_authenticated:
        chosen = supported(current_user.locale)
        if chosen:
            return chosen
    chosen = (
        supported(session.get("locale"))
        or supported(g.get(LINK_LOCALE))
        or supported(session.get(LAST_LOCALE))
    )
    if chosen:
        return chosen
    best = request.accept_languages.best_match(current_app.config["SUPPORTED_LOCALES"])
    return best or current_app.config["DEFAULT_LOCALE"]


def valid_timezone(name: str | None) -> str | None:
    if not name or name not in _timezones():
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


_TZ_CACHE: frozenset[str] | None = None


def _timezones() -> frozenset[str]:
    global _TZ_CACHE
    if _TZ_CACHE is None:
        _TZ_CACHE = frozenset(available_timezones())
    return _TZ_CACHE


def timezone_choices() -> list[str]:
    return sorted(_timezones())


def select_timezone() -> str:
    if current_user and current_user.is_authenticated:
        chosen = valid_timezone(current_user.timezone)
        if chosen:
            return chosen
    return current_app.config["DEFAULT_TIMEZONE"]


def text_direction() -> str:
    return "rtl" if str(get_locale()) in RTL_LOCALES else "ltr"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    formatting.init_app(app)

    @app.context_processor
    def _i18n_context() -> dict[str, object]:
        return {
            "current_locale": str(get_locale()),
            "text_direction": text_direction(),
            "locale_names": locale_names,
            "language_name": language_name,
        }

    from app.i18n import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.translate)
