"""Agenda reasons are kept as a code and params and shown in the viewer's language; a code no
feature registers shows the text it was stored with; nominations stay as typed. Migration 0026
turns old [code, text] pairs into that form and back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from alembic import command
from flask_babel import force_locale
from sqlalchemy import select, update

from app import create_app
from app.auth.models import User
from app.cli import alembic_config
from app.conferences.models import AgendaItem, CaseConference, Modality
from app.db import db
from app.web import teamcare
from app.web.teamcare import AgendaReason, agenda_reason_label, reason_text, stored_reason
from tests import dbutil
from tests.conferences.helpers import NOT_IMPROVING, make_world, stand_in_rule
from tests.factories import PASSWORD, Factory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SPANISH = "Sin mejoría en las semanas 8 a 12 (PHQ-9)"
SCORE = "stand_in_score"


@pytest.fixture
def score_label() -> Iterator[str]:
    code = agenda_reason_label(SCORE, "PHQ-9 total of %(score)s on %(day)s")
    yield code
    teamcare._REASON_LABELS.pop(SCORE, None)


def test_a_stored_reason_is_shown_in_the_current_language_with_localized_params(app, score_label):
    reason = AgendaReason(uuid.uuid4(), score_label, {"score": 1234, "day": date(2026, 3, 1)})
    with app.test_request_context():
        stored = stored_reason(reason)
        assert stored["params"] == {"score": 1234, "day": {"date": "2026-03-01"}}
        with force_locale("es"):
            shown = reason_text(stored)
        with force_locale("de"):
            german = reason_text({"code": "not_improving", "params": {}, "text": "x"})
        assert german == "Keine Besserung bis Woche 8 bis 12 (PHQ-9)"
        assert shown.startswith("PHQ-9 total of 1.234 on ") and "2026" in shown
        # Unknown code: the text it was built with; an old pair; params that do not fit.
        assert reason_text({"code": "gone", "params": {}, "text": "As built"}) == "As built"
        assert reason_text(["gone", "Old text"]) == "Old text"
        with force_locale("es"):
            assert reason_text(["not_improving", "Old English text"]) == SPANISH
        for params in ({"other": 1}, {}, {"score": 1, "day": {"date": "garbage"}}):
            stored = {"code": SCORE, "params": params, "text": "Fallback"}
            assert reason_text(stored) == "Fallback"


@time_machine.travel(NOW, tick=False)
def test_a_reason_takes_its_label_from_its_code_and_an_unknown_code_is_refused(app, score_label):
    reason = AgendaReason(uuid.uuid4(), score_label, {"score": 3, "day": date(2026, 3, 1)})
    assert str(reason.label) == "PHQ-9 total of %(score)s on %(day)s"
    with pytest.raises(ValueError, match="no registered label"):
        AgendaReason(uuid.uuid4(), "never_registered")


def test_the_agenda_speaks_each_viewers_language(app, make, client, auth):
    world = make_world(make)
    with stand_in_rule(world.flagged), app.test_request_context():
        conference = _schedule(world)
        db.session.commit()
    with app.app_context():
        item = db.session.scalars(
            select(AgendaItem).where(AgendaItem.patient_id == world.flagged.id)
        ).one()
        assert {"code": "not_improving", "params": {}, "text": NOT_IMPROVING} in item.reasons
        db.session.execute(update(User).where(User.id == world.lead.id).values(locale="es"))
        db.session.commit()
    url = f"/conferences/{conference}"
    auth.login(world.coordinator.email, PASSWORD)
    english = client.get(url).get_data(as_text=True)
    assert NOT_IMPROVING in english
    auth.post(
        f"{url}/nominate",
        {"patient": str(world.other.id), "reason": "Sleep worse, typed in English"},
        token_from=url,
    )
    auth.logout()
    auth.login(world.lead.email, PASSWORD)
    spanish = client.get(url).get_data(as_text=True)
    assert SPANISH in spanish and NOT_IMPROVING not in spanish
    assert "Sleep worse, typed in English" in spanish  # a nomination stays as typed


def _schedule(world) -> uuid.UUID:
    from app.conferences import services

    conference = services.schedule(
        coordinator=db.session.get(User, world.coordinator.id),
        starts_at=datetime(2026, 3, 9, 14, tzinfo=UTC),
        modality=Modality.IN_PERSON,
        video_url=None,
        member_ids=[world.lead.id, world.psychiatrist.id],
        now=NOW,
    )
    services.freeze(conference=conference, now=NOW)  # built here, in English, then kept
    return conference.id


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    url = dbutil.new_database(str(tmp_path), "reasons")
    yield url
    dbutil.drop_database(url)


def test_0026_keeps_old_agenda_rows_readable(empty_database: str):
    config = alembic_config(empty_database)
    command.upgrade(config, "0025")  # 0026 changes no column: the models fit both
    app = create_app({"DATABASE_URL": empty_database})
    world = make_world(Factory(app))
    with app.app_context():
        conference = CaseConference(
            clinic_id=world.clinic.id,
            scheduled_by_id=world.coordinator.id,
            starts_at=NOW,
            modality=Modality.IN_PERSON,
        )
        db.session.add(conference)
        db.session.flush()
        old = [["not_improving", "Old English"], ["retired_rule", "Kept as typed"]]
        db.session.add(
            AgendaItem(conference_id=conference.id, patient_id=world.flagged.id, reasons=old)
        )
        db.session.commit()
        command.upgrade(config, "0026")
        db.session.expire_all()
        reasons = db.session.scalars(select(AgendaItem.reasons)).one()
        assert reasons == [
            {"code": "not_improving", "params": {}, "text": "Old English"},
            {"code": "retired_rule", "params": {}, "text": "Kept as typed"},
        ]
        with app.test_request_context(), force_locale("es"):
            assert [reason_text(r) for r in reasons] == [SPANISH, "Kept as typed"]
        db.session.commit()
        command.downgrade(config, "0025")
        db.session.expire_all()
        assert db.session.scalars(select(AgendaItem.reasons)).one() == old
        db.session.commit()
    app.extensions["heed.engine"].dispose()
