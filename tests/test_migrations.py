"""One Alembic chain; upgrading an empty database yields exactly the models' schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.cli import alembic_config
from app.db import make_engine
from app.models import Base
from tests import dbutil


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
