"""The patient daily diary: entries, catalogs, history, charts and cautious insights."""

from __future__ import annotations

from flask import Flask

from app.diary.catalogs import SYMPTOMS
from app.diary.queries import entry_version


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(SYMPTOM_CATALOG=SYMPTOMS, diary_version=entry_version)
