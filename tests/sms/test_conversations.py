"""The quick diary by SMS: one question at a time, normalization, one re-ask, the diary hook."""
# ruff: noqa: RUF001 - full-width and Arabic-Indic characters are the point of these tests

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.db import db
from app.prompts.kinds import EXTENSION
from app.prompts.models import PromptPurpose
from app.prompts.planning import local_instant
from app.prompts.services import plan_due_prompts, update_schedule
from app.sms.dispatch import dispatch_due
from app.sms.keywords import Keyword, classify, parse_number
from app.sms.models import PatientText
from app.sms.services import handle_inbound
from tests.prompts.kinds import swap_kind
from tests.sms.fixtures import consenting

NY = ZoneInfo("America/New_York")
DAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7", 7),
        (" 7 ", 7),
        ("７", 7),
        ("١٠", 10),
        ("۳", 3),
        ("10.", 10),
        ("seven", None),
        ("", None),
        ("-1", None),
    ],
)
def test_numbers_are_normalized(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("ＳＴＯＰ", Keyword.STOP),
        (" help ", Keyword.HELP),
        ("Yes!", Keyword.START),
        ("stop it", None),
    ],
)
def test_keywords_are_normalized(text, keyword):
    assert classify(text) is keyword


@pytest.fixture
def saved(app, monkeypatch):
    entries: list = []
    quick = app.extensions[EXTENSION].kind(PromptPurpose.DIARY_REMINDER).conversation
    swap_kind(
        app,
        monkeypatch,
        PromptPurpose.DIARY_REMINDER,
        conversation=replace(quick, save=lambda *args: entries.append(args)),
    )
    return entries


def _reminded(make, app, fake, phone: str):
    patient = consenting(make, app, phone=phone, timezone="America/New_York")
    update_schedule(user=db.session.get(User, patient.user_id), sms_diary_replies=True)
    db.session.commit()
    plan_due_prompts(now=local_instant(DAY, time(19, 25), NY))
    db.session.commit()
    now = local_instant(DAY, time(19, 30), NY)
    dispatch_due(now=now)
    return patient, now


def reply(phone: str, sid: str, body: str, now) -> str | None:
    result = handle_inbound(sid=sid, from_number=phone, body=body, now=now)
    db.session.commit()
    return result.reply


def test_three_questions_answered_by_number(app, make, ctx, fake, saved):
    phone = "+12025550180"
    patient, now = _reminded(make, app, fake, phone)
    assert "How strong were your symptoms today?" in fake.sent[0].data["Body"]
    assert "How was your mood" in reply(phone, "SMa", "４", now)
    assert "How well did you sleep" in reply(phone, "SMb", "٧", now)
    assert "saved" in reply(phone, "SMc", " 4 ", now)
    assert saved == [(patient.id, DAY, {"overall_symptoms": 4, "mood": 7, "sleep_quality": 4})]
    # The conversation is over: a further reply is free text, kept for the care team.
    assert "your care team will read this" in reply(phone, "SMd", "5", now)


def test_out_of_range_is_asked_again_once_then_left_empty(app, make, ctx, fake, saved):
    phone = "+12025550181"
    patient, now = _reminded(make, app, fake, phone)
    assert "from 0 to 10" in reply(phone, "SMa", "11", now)
    assert "How was your mood" in reply(phone, "SMb", "12", now)
    reply(phone, "SMc", "3", now)
    reply(phone, "SMd", "2", now)
    assert saved == [(patient.id, DAY, {"overall_symptoms": None, "mood": 3, "sleep_quality": 2})]


def test_replayed_answer_is_not_applied_twice(app, make, ctx, fake, saved):
    phone = "+12025550182"
    _, now = _reminded(make, app, fake, phone)
    reply(phone, "SMsame", "4", now)
    assert reply(phone, "SMsame", "4", now) is None
    assert "How well did you sleep" in reply(phone, "SMnext", "5", now)


def test_words_inside_a_conversation_are_kept_for_the_team_and_the_question_waits(
    app, make, ctx, fake, saved
):
    phone = "+12025550183"
    patient, now = _reminded(make, app, fake, phone)
    answer = reply(phone, "SMw", "I can't go on like this", now)
    assert "your care team will read this" in answer
    kept = db.session.scalars(select(PatientText).where(PatientText.patient_id == patient.id))
    assert [text.body for text in kept] == ["I can't go on like this"]
    assert "How was your mood" in reply(phone, "SMx", "2", now)  # the diary goes on
