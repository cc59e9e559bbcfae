"""The patient daily diary: entries, catalogs, history, charts and cautious insights."""

from __future__ import annotations

from flask import Flask

from app.diary.catalogs import SYMPTOMS


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(SYMPTOM_CATALOG=SYMPTOMS)
