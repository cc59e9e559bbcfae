"""Access tokens in a patient's export (names, scope and dates; never the secret or its
fingerprint) and in erasure (revoked and renamed: the rows stay for the audit trail)."""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.api.models import ApiToken
from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db, utcnow


@exporter(covers=(ApiToken,), sections=("access_tokens",))
def access_tokens(patient: Patient) -> list[Section]:
    rows = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == patient.user_id).order_by(ApiToken.created_at)
    )
    return [
        Section(
            "access_tokens",
            [
                {
                    "name": token.name,
                    "scope": token.scope.value,
                    "created_at": token.created_at.isoformat(),
                    "expires_at": token.expires_at.isoformat(),
                    "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                    "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
                }
                for token in rows
            ],
        )
    ]


@eraser(covers=(ApiToken,))
def revoke_access_tokens(patient: Patient) -> None:
    now = utcnow()
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == patient.user_id)
        .values(name="-", revoked_at=func.coalesce(ApiToken.revoked_at, now))
    )
