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
from sqlalchemy import select

from app import create_app
from app.alerts.models import Alert
from app.careplan.models import CarePlanComment, CarePlanVersion
from app.cli import alembic_config
from app.db import db, make_engine
from app.diary.models import (
    CaregiverObservation,
    DiaryEntry,
    DiaryRevision,
    SymptomRating,
    TrackedSymptom,
)
from app.schema import Base
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


def _patient_on_older_schema(app, url: str):
    """A factory patient on a database at an older revision: columns the models added to
    `users` since then exist only while the ORM inserts the rows (then they are dropped)."""
    engine = make_engine(url)
    table = Base.metadata.tables["users"]
    present = {column["name"] for column in sa.inspect(engine).get_columns("users")}
    missing = [column for column in table.columns if column.name not in present]
    with engine.begin() as connection:
        for column in missing:
            kind = column.type.compile(dialect=connection.dialect)
            connection.execute(sa.text(f"ALTER TABLE users ADD COLUMN {column.name} {kind}"))
    patient = Factory(app).patient(onboarded=False)
    with engine.begin() as connection:
        for column in missing:
            connection.execute(sa.text(f"ALTER TABLE users DROP COLUMN {column.name}"))
    engine.dispose()
    return patient


def test_0010_encrypts_existing_diary_text_in_place(empty_database: str):
    config = alembic_config(empty_database)
    command.upgrade(config, "0009")
    app = create_app({"DATABASE_URL": empty_database})
    patient = _patient_on_older_schema(app, empty_database)
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
        # Columns only: at 0010 the own trigger tags are still plain (0014 encrypts them).
        notes = select(DiaryEntry.notes).where(DiaryEntry.id == ids["entry"])
        assert db.session.scalar(notes) == NOTE
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


PLAN = "Working hypothesis: pain rises with the night shifts."
COMMENT = "Could we move the physio to Thursdays?"
ACK = "Called her at 16:10; safe at home, sister with her."
LABEL = "jaw clicking when I wake up"


def _plaintext_free_text(url: str, patient) -> dict[str, uuid.UUID]:
    """Rows as revision 0010 stored them: plain care plans, comments, alert notes, own labels."""
    ids = {name: uuid.uuid4() for name in ("plan", "comment", "alert", "entry", "symptom")}
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    people = {"patient_id": patient.id, "author_id": patient.user_id, "created_at": now}
    columns = {
        "care_plan_versions": ("id", "patient_id", "author_id", "created_at", "version", "content"),
        "care_plan_comments": ("id", "patient_id", "author_id", "created_at", "body"),
        "alerts": (
            "id", "patient_id", "created_at", "rule_code", "severity", "source_type",
            "source_id", "acknowledged_at", "acknowledged_by_id", "note", "repeat_count",
        ),
        "diary_entries": (
            "id", "patient_id", "client_entry_id", "created_by_id", "created_at", "updated_at",
            "local_date", "mode", "triggers", "custom_triggers",
        ),
        "diary_tracked_symptoms": ("id", "patient_id", "key", "custom_label", "position", "created_at"),
    }  # fmt: skip
    rows = {
        "care_plan_versions": {
            "id": ids["plan"], **people, "version": 1,
            "content": {"hypotheses": PLAN, "goals": [], "interventions": []},
        },
        "care_plan_comments": {"id": ids["comment"], **people, "body": COMMENT},
        "alerts": {
            "id": ids["alert"], "patient_id": patient.id, "created_at": now,
            "rule_code": "critical_answer", "severity": "urgent", "source_type": "response",
            "source_id": uuid.uuid4(), "acknowledged_at": now,
            "acknowledged_by_id": patient.user_id, "note": ACK, "repeat_count": 0,
        },
        "diary_entries": {
            "id": ids["entry"], "patient_id": patient.id, "client_entry_id": uuid.uuid4(),
            "created_by_id": patient.user_id, "created_at": now, "updated_at": now,
            "local_date": now.date(), "mode": "full", "triggers": [], "custom_triggers": [TAG],
        },
        "diary_tracked_symptoms": {
            "id": ids["symptom"], "patient_id": patient.id, "key": "custom-0123456789ab",
            "custom_label": LABEL, "position": 0, "created_at": now,
        },
    }  # fmt: skip

    def kind(column: str) -> sa.types.TypeEngine:
        if column in ("content", "triggers", "custom_triggers"):
            return sa.JSON()
        if column == "id" or column.endswith("_id"):
            return sa.Uuid()
        if column.endswith("_at"):
            return sa.DateTime(timezone=True)
        if column in ("version", "position", "repeat_count"):
            return sa.Integer()
        return sa.Date() if column == "local_date" else sa.Text()

    engine = make_engine(url)
    with engine.begin() as connection:
        for name, names in columns.items():
            table = sa.table(name, *(sa.column(n, kind(n)) for n in names))
            connection.execute(sa.insert(table).values(rows[name]))
    engine.dispose()
    return ids


FREE_TEXT_0014 = (
    ("care_plan_versions", "content"),
    ("care_plan_comments", "body"),
    ("alerts", "note"),
    ("diary_entries", "custom_triggers"),
    ("diary_tracked_symptoms", "custom_label"),
)


def _raw_0014(url: str) -> str:
    engine = make_engine(url)
    with engine.connect() as connection:
        stored = [
            connection.scalar(sa.text(f"SELECT CAST({column} AS TEXT) FROM {table}"))
            for table, column in FREE_TEXT_0014
        ]
    engine.dispose()
    return " ".join(str(value) for value in stored)


def test_0014_encrypts_care_plans_alert_notes_and_own_labels_in_place(empty_database: str):
    config = alembic_config(empty_database)
    command.upgrade(config, "0010")
    app = create_app({"DATABASE_URL": empty_database})
    patient = _patient_on_older_schema(app, empty_database)
    ids = _plaintext_free_text(empty_database, patient)
    assert all(text in _raw_0014(empty_database) for text in (PLAN, COMMENT, ACK, TAG, LABEL))
    with pytest.raises(RuntimeError, match=r"Migration 0014 must encrypt .*FIELD_ENCRYPTION_KEYS"):
        command.upgrade(config, "0014")  # rows to encrypt, but no app (and so no keys)

    with app.app_context():
        command.upgrade(config, "0014")
    raw = _raw_0014(empty_database)
    for text in (PLAN, COMMENT, ACK, TAG, LABEL, "hypotheses"):
        assert text not in raw
    with app.app_context():
        # Column by column: the models may be at a later revision than 0014.
        def read(column, key):
            return db.session.scalar(select(column).where(column.class_.id == ids[key]))

        assert read(CarePlanVersion.content, "plan")["hypotheses"] == PLAN
        assert read(CarePlanComment.body, "comment") == COMMENT
        assert read(Alert.note, "alert") == ACK
        assert read(DiaryEntry.custom_triggers, "entry") == [TAG]
        assert read(TrackedSymptom.custom_label, "symptom") == LABEL

    with app.app_context():
        command.downgrade(config, "0010")
    assert all(text in _raw_0014(empty_database) for text in (PLAN, COMMENT, ACK, TAG, LABEL))
    app.extensions["heed.engine"].dispose()


def test_0016_people_who_signed_in_before_are_not_shown_the_introduction(empty_database: str):
    config = alembic_config(empty_database)
    command.upgrade(config, "0015")
    engine = make_engine(empty_database)
    seen = datetime(2026, 11, 30, 9, tzinfo=UTC)
    ids = {"returning": uuid.uuid4(), "new": uuid.uuid4()}
    insert = sa.text(
        "INSERT INTO users (id, email, role, display_name, locale, timezone, session_version,"
        " active, created_at, last_login_at) VALUES (:id, :email, 'patient', 'P', 'en', 'UTC',"
        " 1, :active, :created, :last)"
    )
    with engine.begin() as connection:
        for key, last in (("returning", seen), ("new", None)):
            identifier = ids[key] if connection.dialect.name == "postgresql" else ids[key].hex
            connection.execute(
                insert,
                {
                    "id": identifier,
                    "email": f"{key}@example.org",
                    "active": True,
                    "created": seen,
                    "last": last,
                },
            )
    command.upgrade(config, "0016")
    with engine.connect() as connection:
        rows = dict(connection.execute(sa.text("SELECT email, onboarded_at FROM users")).all())
    assert rows["new@example.org"] is None
    assert rows["returning@example.org"] is not None
    engine.dispose()
