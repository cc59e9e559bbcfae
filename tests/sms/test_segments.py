"""Every SMS text in every locale fits in two segments (GSM-7 153/160, UCS-2 67/70)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.config import SUPPORTED_LOCALES
from app.prompts.kinds import catalogue
from app.sms import bodies
from app.sms.segments import MAX_SEGMENTS, count

# A realistic production link: https + host + /m/ + a 22-character token.
LINK = "https://heed.example-clinic.org/m/" + "A" * 22


def every_text() -> dict[str, str]:
    kinds = catalogue().kinds.values()
    texts = {f"prompt:{kind.purpose}": kind.body(LINK) for kind in kinds}
    for kind in kinds:
        if kind.conversation is None:
            continue
        for question in kind.conversation.questions:
            texts[f"question:{question.key}"] = question.text()
            texts[f"reask:{question.key}"] = bodies.reask_reply(question.text(), 0, 10)
            texts[f"{kind.purpose}_with_question:{question.key}"] = kind.conversation.body(
                LINK, question.text()
            )
    for reply in (
        bodies.help_reply,
        bodies.stopped_reply,
        bodies.started_reply,
        bodies.unknown_number_reply,
        bodies.kept_reply_without_line,
        bodies.saved_reply,
    ):
        texts[reply.__name__] = reply()
    # A reply to free text with a typical crisis line (tests/sms/test_patient_texts.py checks
    # the configured demo lines and the fallback to the contact alone).
    texts["kept_reply"] = bodies.kept_reply("Crisis line 555-0100")
    return texts


def test_counting_rules():
    assert count("a" * 160).segments == 1 and count("a" * 161).segments == 2
    assert count("a" * 306).segments == 2 and count("a" * 307).segments == 3
    assert count("€" * 80).units == 160  # extension characters take two septets
    assert count("م" * 70).segments == 1 and count("م" * 71).segments == 2
    assert count("م" * 134).segments == 2 and count("م" * 135).segments == 3
    assert count("ç").encoding == "UCS-2"  # only Ç is in the GSM-7 basic set


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_text_fits_two_segments(app, locale):
    with app.test_request_context(), force_locale(locale):
        texts = every_text()
    too_long = {
        name: (count(text).encoding, count(text).units)
        for name, text in texts.items()
        if count(text).segments > MAX_SEGMENTS
    }
    assert not too_long, f"{locale}: {too_long}"
    assert len(texts) >= 20
