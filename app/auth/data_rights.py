"""What the second factors hold about a patient (or any person who signs in): which factors
they set up and when they were used, never a secret, key or hash; erasure deletes them."""

from __future__ import annotations

from sqlalchemy import delete, select

from app.auth.mfa.models import Passkey, RecoveryCode, SecondFactorReset, TotpFactor
from app.auth.models import User
from app.careteam.models import Patient
from app.datarights.registry import Row, Section, eraser, exporter, iso
from app.db import db

KEPT_ON_ERASURE = (SecondFactorReset,)
"""An administrator's reset of the second factor is part of the security audit trail: who
reset it, when, and the reason they wrote (their justification, like a break-glass reason),
shown to the patient in their export."""


@exporter(
    covers=(TotpFactor, Passkey, RecoveryCode, SecondFactorReset),
    sections=("second_factors", "second_factor_resets"),
)
def second_factors(patient: Patient) -> list[Section]:
    user_id = patient.user_id
    rows: list[Row] = []
    app_factor = db.session.scalar(select(TotpFactor).where(TotpFactor.user_id == user_id))
    if app_factor is not None and app_factor.confirmed_at is not None:
        rows.append(
            {
                "kind": "authenticator_app",
                "name": "",
                "added_at": iso(app_factor.confirmed_at),
                "last_used_at": iso(app_factor.last_used_at),
            }
        )
    for key in db.session.scalars(
        select(Passkey).where(Passkey.user_id == user_id).order_by(Passkey.created_at)
    ):
        rows.append(
            {
                "kind": "passkey",
                "name": key.name,
                "added_at": iso(key.created_at),
                "last_used_at": iso(key.last_used_at),
            }
        )
    for code in db.session.scalars(
        select(RecoveryCode)
        .where(RecoveryCode.user_id == user_id)
        .order_by(RecoveryCode.created_at)
    ):
        rows.append(
            {
                "kind": "recovery_code",
                "name": "",
                "added_at": iso(code.created_at),
                "last_used_at": iso(code.used_at),
            }
        )
    resets = db.session.execute(
        select(SecondFactorReset, User.display_name)
        .outerjoin(User, User.id == SecondFactorReset.reset_by_id)
        .where(SecondFactorReset.user_id == user_id)
        .order_by(SecondFactorReset.created_at)
    ).all()
    return [
        Section("second_factors", rows),
        Section(
            "second_factor_resets",
            [
                {"reset_at": iso(reset.created_at), "administrator": name, "reason": reset.reason}
                for reset, name in resets
            ],
        ),
    ]


@eraser(covers=(TotpFactor, Passkey, RecoveryCode))
def erase_second_factors(patient: Patient) -> None:
    """The account can no longer sign in (erasure removes the password): its factors go."""
    for model in (TotpFactor, Passkey, RecoveryCode):
        db.session.execute(delete(model).where(model.user_id == patient.user_id))
    db.session.flush()
