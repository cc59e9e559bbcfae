"""Each shipped language named in its own language (endonyms), for switchers and settings."""

from __future__ import annotations

from babel import Locale
from flask import current_app


def locale_names() -> dict[str, str]:
    return {
        code: Locale.parse(code).get_display_name(code).capitalize()
        for code in current_app.config["SUPPORTED_LOCALES"]
    }
