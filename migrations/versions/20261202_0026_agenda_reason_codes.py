"""case conferences: agenda reasons kept as code + params (shown in the viewer's language);
old [code, text] pairs become {"code", "params": {}, "text"} (the text stays as the fallback)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 16:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op


revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEMS = sa.table(
    "conference_agenda_items", sa.column("id", sa.Uuid()), sa.column("reasons", sa.JSON())
)


def _rewrite(convert) -> None:
    bind = op.get_bind()
    for row_id, reasons in bind.execute(sa.select(ITEMS.c.id, ITEMS.c.reasons)).all():
        new = [convert(reason) for reason in reasons or []]
        if new != reasons:
            bind.execute(ITEMS.update().where(ITEMS.c.id == row_id).values(reasons=new))


def _to_dict(reason: Any) -> Any:
    if isinstance(reason, list):
        return {"code": reason[0], "params": {}, "text": reason[1] if len(reason) > 1 else ""}
    return reason


def _to_pair(reason: Any) -> Any:
    if isinstance(reason, dict):
        return [reason.get("code", ""), reason.get("text", "")]
    return reason


def upgrade() -> None:
    _rewrite(_to_dict)


def downgrade() -> None:
    _rewrite(_to_pair)
