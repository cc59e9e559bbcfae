"""caseload reads: covering indexes for the registry's aggregate reads (key totals, diary
days, overdue questionnaires); the single-column patient indexes they start with go

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 21:30:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_instrument_responses_patient_totals",
        "instrument_responses",
        ["patient_id", "instrument_id", "submitted_at", "total", "id"],
    )
    op.drop_index("ix_instrument_responses_patient_id", table_name="instrument_responses")
    op.create_index(
        "ix_instrument_occurrences_patient_due",
        "instrument_occurrences",
        ["patient_id", "due_date", "closes_at", "id"],
    )
    op.drop_index("ix_instrument_occurrences_patient_id", table_name="instrument_occurrences")
    op.create_index(
        "ix_diary_entries_patient_day_level",
        "diary_entries",
        ["patient_id", "local_date", "overall_symptoms", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_diary_entries_patient_day_level", table_name="diary_entries")
    op.create_index(
        "ix_instrument_occurrences_patient_id", "instrument_occurrences", ["patient_id"]
    )
    op.drop_index("ix_instrument_occurrences_patient_due", table_name="instrument_occurrences")
    op.create_index("ix_instrument_responses_patient_id", "instrument_responses", ["patient_id"])
    op.drop_index("ix_instrument_responses_patient_totals", table_name="instrument_responses")
