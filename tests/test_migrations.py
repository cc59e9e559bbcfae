"""One Alembic chain; upgrading an empty database yields exactly the models' schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app import create_app
from app.cli import alembic_config
from app.db import db, make_engine
from app.diary.models import CaregiverObservation, DiaryEntry, DiaryRevision, SymptomRating
from app.models import Base
from tests import dbutil
from tests.factories import Factory


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    url = dbutil.new_database(str(tmp_path), "migrations")
    yield url
    dbutil.drop_database(url)


def test_single_head_with_date_prefixed_files():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    for path in Path(script.versions).glob("*.py"):
        assert path.name[:8].isdigit(), f"{path.name} is not date-prefixed"


def test_upgrade_from_empty_matches_models(empty_database: str):
    command.upgrade(alembic_config(empty_database), "head")
    engine = make_engine(empty_database)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_downgrade_to_base_and_back(empty_database: str):
    config = alembic_config(empty_database)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")


NOTE = "Bad flare after the school run; slept badly."
OBSERVED = "Seemed exhausted by noon."
TAG = "my own trigger label"


def _plaintext_diary(url: str, patient) -> dict[str, uuid.UUID]:
    """Rows as revision 0009 stored them: plain notes and plain JSON history."""
    ids = {name: uuid.uuid4() for name in ("entry", "observation", "revision", "rating")}
    now = datetime(2026, 11, 20, 18, tzinfo=UTC)
    entries = sa.table(
        "diary_entries",
        *(sa.column(n, sa.Uuid()) for n in ("id", "patient_id", "client_entry_id", "created_by_id")),
        *(sa.column(n, sa.DateTime(timezone=True)) for n in ("created_at", "updated_at")),
        sa.column("local_date", sa.Date()), sa.column("mode", sa.String()),
        sa.column("triggers", sa.JSON()), sa.column("custom_triggers", sa.JSON()),
        sa.column("notes", sa.Text()),
    )  # fmt: skip
    ratings = sa.table(
        "diary_symptom_ratings", sa.column("id", sa.Uuid()), sa.column("entry_id", sa.Uuid()),
        sa.column("symptom_key", sa.String()), sa.column("score", sa.Integer()),
    )  # fmt: skip
    revisions = sa.table(
        "diary_revisions",
        *(sa.column(n, sa.Uuid()) for n in ("id", "entry_id", "submission_id", "actor_id")),
        sa.column("payload_digest", sa.String()), sa.column("kind", sa.String()),
        sa.column("actor_role", sa.String()), sa.column("at", sa.DateTime(timezone=True)),
        sa.column("changes", sa.JSON()),
    )  # fmt: skip
    observations = sa.table(
        "diary_observations",
        *(sa.column(n, sa.Uuid()) for n in ("id", "patient_id", "observer_id", "client_id")),
        sa.column("local_date", sa.Date()), sa.column("observer_role", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("note", sa.Text()),
    )  # fmt: skip
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.insert(entries).values(
                id=ids["entry"], patient_id=patient.id, client_entry_id=uuid.uuid4(),
                created_by_id=patient.user_id, created_at=now, updated_at=now,
                local_date=now.date(), mode="full", triggers=[], custom_triggers=[TAG], notes=NOTE,
            )
        )  # fmt: skip
        connection.execute(
            sa.insert(ratings).values(
                id=ids["rating"], entry_id=ids["entry"], symptom_key="pain", score=6
            )
        )
        connection.execute(
            sa.insert(revisions).values(
                id=ids["revision"], entry_id=ids["entry"], submission_id=uuid.uuid4(),
                actor_id=patient.user_id, payload_digest="0" * 64, kind="created",
                actor_role="patient", at=now,
                changes={"notes": [None, NOTE], "custom_triggers": [[], [TAG]], "mood": [None, 4]},
            )
        )  # fmt: skip
        connection.execute(
            sa.insert(observations).values(
                id=ids["observation"], patient_id=patient.id, observer_id=patient.user_id,
                client_id=uuid.uuid4(), local_date=now.date(), observer_role="caregiver",
                created_at=now, note=OBSERVED,
            )
        )  # fmt: skip
    engine.dispose()
    return ids


def _raw(url: str) -> str:
    engine = make_engine(url)
    with engine.connect() as connection:
        stored = [
            connection.scalar(sa.text(f"SELECT {column} FROM {table}"))
            for table, column in (
                ("diary_entries", "notes"),
                ("diary_observations", "note"),
                ("diary_revisions", "CAST(changes AS TEXT)"),
            )
        ]
    engine.dispose()
    return " ".join(str(value) for value in stored)


def test_0010_encrypts_existing_diary_text_in_place(empty_database: str):
    config = alembic_config(empty_database)
    command.upgrade(config, "0009")
    app = create_app({"DATABASE_URL": empty_database})
    patient = Factory(app).patient()
    ids = _plaintext_diary(empty_database, patient)
    with pytest.raises(RuntimeError, match="FIELD_ENCRYPTION_KEYS"):
        command.upgrade(config, "0010")  # rows to encrypt, but no app (and so no keys)

    with app.app_context():
        command.upgrade(config, "0010")
    raw = _raw(empty_database)
    assert NOTE not in raw
    assert OBSERVED not in raw
    assert TAG not in raw
    with app.app_context():
        assert db.session.get(DiaryEntry, ids["entry"]).notes == NOTE
        assert db.session.get(CaregiverObservation, ids["observation"]).note == OBSERVED
        revision = db.session.get(DiaryRevision, ids["revision"])
        assert revision.changes == {
            "notes": [None, NOTE],
            "custom_triggers": [[], [TAG]],
            "mood": [None, 4],
        }
        # Rebuilding the tables (SQLite) kept the rows that reference the entry.
        assert db.session.get(SymptomRating, ids["rating"]).score == 6

    with app.app_context():
        command.downgrade(config, "0009")
    assert NOTE in _raw(empty_database)
    assert OBSERVED in _raw(empty_database)
    app.extensions["heed.engine"].dispose()
