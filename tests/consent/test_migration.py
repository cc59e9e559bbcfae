"""Migration 0018: earlier SMS agreements and caregiver links become consent records with the
method "recorded before versioned consent"; downgrade drops the consent tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from app import create_app
from app.cli import alembic_config
from app.db import make_engine
from tests.factories import Factory
from tests.test_migrations import empty_database  # noqa: F401 - the fixture

GRANTED = datetime(2026, 11, 1, 9, tzinfo=UTC)
WITHDRAWN = datetime(2026, 11, 5, 9, tzinfo=UTC)


def test_0018_turns_earlier_consents_into_legacy_records(empty_database: str):  # noqa: F811
    config = alembic_config(empty_database)
    command.upgrade(config, "0017")
    app = create_app({"DATABASE_URL": empty_database})
    factory = Factory(app)
    patient = factory.patient(locale="fr")
    caregiver = factory.user(factory_role(), clinic=None)
    link_id = uuid.uuid4()
    engine = make_engine(empty_database)
    dt = sa.DateTime(timezone=True)
    sms = sa.table(
        "sms_consents", sa.column("id", sa.Uuid()), sa.column("user_id", sa.Uuid()),
        *(sa.column(n, sa.String()) for n in ("channel", "wording", "locale", "withdrawal_source")),
        sa.column("granted_at", dt), sa.column("withdrawn_at", dt),
    )  # fmt: skip
    links = sa.table(
        "caregiver_links",
        *(sa.column(n, sa.Uuid()) for n in ("id", "patient_id", "caregiver_id")),
        sa.column("relationship_label", sa.String()), sa.column("created_at", dt),
    )  # fmt: skip
    grants = sa.table(
        "consent_grants",
        *(sa.column(n, sa.Uuid()) for n in ("id", "link_id", "granted_by_id")),
        sa.column("scope", sa.String()), sa.column("granted_at", dt),
    )  # fmt: skip
    with engine.begin() as connection:
        connection.execute(
            sa.insert(sms).values(
                id=uuid.uuid4(), user_id=patient.user_id, channel="paper", wording="w",
                locale="fr", withdrawal_source="stop", granted_at=GRANTED, withdrawn_at=WITHDRAWN,
            )
        )  # fmt: skip
        connection.execute(
            sa.insert(links).values(
                id=link_id, patient_id=patient.id, caregiver_id=caregiver.id,
                relationship_label="Sibling", created_at=GRANTED,
            )
        )  # fmt: skip
        connection.execute(
            sa.insert(grants).values(
                id=uuid.uuid4(), link_id=link_id, granted_by_id=patient.user_id,
                scope="view_scores", granted_at=GRANTED,
            )
        )  # fmt: skip
    command.upgrade(config, "0018")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT purpose, decision, method, locale, caregiver_link_id FROM consent_records"
                " ORDER BY purpose, recorded_at"
            )
        ).all()
    assert [tuple(row[:4]) for row in rows] == [
        ("caregiver", "given", "legacy", "fr"),
        ("sms", "given", "legacy", "fr"),
        ("sms", "withdrawn", "legacy", "fr"),
    ]
    assert str(rows[0][4]).replace("-", "") == link_id.hex
    command.downgrade(config, "0017")
    assert "consent_records" not in sa.inspect(engine).get_table_names()
    engine.dispose()
    app.extensions["heed.engine"].dispose()


def factory_role():
    from app.auth.models import Role

    return Role.CAREGIVER
