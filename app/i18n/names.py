"""Languages by name: each shipped language in its own language (endonyms) for the switcher and
the language pickers, and any language named in the viewer's language everywhere else
("se muestra en inglés", never "se muestra en English")."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import current_app
from flask_babel import get_locale


def locale_names() -> dict[str, str]:
    return {
        code: Locale.parse(code).get_display_name(code).capitalize()
        for code in current_app.config["SUPPORTED_LOCALES"]
    }


def language_name(code: str | None, *, in_sentence: bool = True) -> str:
    """`code` ('en', 'es-US', 'pt_BR') named in the viewer's language through Babel: 'inglés' for
    a Spanish reader, 'Spanish (United States)' for an English one. In a sentence the language
    keeps its own case; `in_sentence=False` capitalizes it to start a cell or a value."""
    if not code:
        return ""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(get_locale() or "en")
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    if not name:
        return code
    return name if in_sentence else name[:1].upper() + name[1:]
