"""Every lesson string is translated in every shipped locale (not empty, not fuzzy), keeps its
placeholders, and the Arabic lesson page renders right to left."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.education.content import LESSONS
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2] / "translations"
LOCALES = ("es", "fr", "de", "pt", "ar")


def _msgid(lazy) -> str:
    return lazy._args[0]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_lesson_string_is_translated(locale):
    with (ROOT / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=locale)
    missing = []
    for lesson in LESSONS.values():
        for lazy in lesson.strings():
            message = catalog.get(_msgid(lazy))
            if message is None or not message.string or message.fuzzy:
                missing.append(_msgid(lazy))
    assert not missing, f"{locale}: {missing}"


def test_lessons_are_short_and_cite_sources():
    for lesson in LESSONS.values():
        words = sum(len(str(_msgid(s)).split()) for s in lesson.strings())
        assert 90 <= words <= 260, (lesson.key, words)
        assert lesson.sources and all(s.url.startswith("https://") for s in lesson.sources)


def test_arabic_lesson_page_is_right_to_left(app, make, client, auth):
    patient = make.patient(locale="ar")
    auth.login(patient.user.email, PASSWORD)
    html = client.get("/learn/pacing").get_data(as_text=True)
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "تنظيم الجهد" in html
