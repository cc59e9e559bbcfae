"""Every prompt purpose has exactly one kind with every part, declared by the feature that owns
the task; a missing or doubled kind stops the app at startup instead of failing silently."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import create_app
from app.prompts.kinds import EXTENSION, REQUIRED, Catalogue, PromptKindError
from app.prompts.models import PromptPurpose
from app.signals import prompt_kinds

LINK = "https://heed.example.org/m/" + "A" * 22


def test_every_purpose_has_exactly_one_complete_kind(app):
    catalogue = app.extensions[EXTENSION]
    assert list(catalogue.kinds) == list(PromptPurpose)
    declared = [k for _r, kinds in prompt_kinds.send(app) for k in kinds]
    assert sorted(k.purpose for k in declared) == sorted(PromptPurpose)  # no purpose twice
    for purpose, kind in catalogue.kinds.items():
        assert kind.purpose == purpose
        for part in REQUIRED:
            assert getattr(kind, part) is not None, (purpose, part)
        assert callable(kind.body) and callable(kind.completed)
        assert callable(kind.landing) and callable(kind.pages)
        assert hasattr(kind.source, "due_prompts") and kind.source.name
    # The quick diary by SMS reply is the diary's: its three questions, on the diary's scales.
    quick = catalogue.kind(PromptPurpose.DIARY_REMINDER).conversation
    assert [(q.key, q.low, q.high) for q in quick.questions] == [
        ("overall_symptoms", 0, 10),
        ("mood", 0, 10),
        ("sleep_quality", 1, 5),
    ]


def test_every_kind_writes_a_body_with_the_link_and_no_placeholder(app):
    with app.test_request_context():
        for kind in app.extensions[EXTENSION].kinds.values():
            body = kind.body(LINK)
            assert LINK in body and "STOP" in body and "%(" not in body


def test_a_missing_kind_is_named(app):
    kinds = [k for p, k in app.extensions[EXTENSION].kinds.items() if p != "previsit_checkin"]
    with pytest.raises(PromptKindError, match="previsit_checkin: no kind declared"):
        Catalogue(kinds)


def test_a_kind_without_a_part_is_named(app):
    kinds = dict(app.extensions[EXTENSION].kinds)
    kinds[PromptPurpose.CAREGIVER_CHECKIN] = replace(
        kinds[PromptPurpose.CAREGIVER_CHECKIN], pages=None
    )
    with pytest.raises(PromptKindError, match="caregiver_checkin: missing pages"):
        Catalogue(kinds.values())


def test_startup_refuses_a_purpose_declared_twice(app):
    diary = app.extensions[EXTENSION].kind(PromptPurpose.DIARY_REMINDER)

    def also_diary(_app, **_kwargs):
        return (replace(diary, conversation=None),)

    prompt_kinds.connect(also_diary)
    try:
        with pytest.raises(PromptKindError, match="diary_reminder: declared twice"):
            create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    finally:
        prompt_kinds.disconnect(also_diary)


def test_planner_runs_a_shared_source_once(app):
    catalogue = app.extensions[EXTENSION]
    names = [source.name for source in catalogue.sources()]
    assert sorted(names) == sorted(set(names))
    assert "questionnaires" in names  # serves QUESTIONNAIRE_DUE and QUESTIONNAIRE_CLOSING
