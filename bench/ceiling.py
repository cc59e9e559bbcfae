"""The ceiling: a minimal Flask app under the same gunicorn settings that inserts one row shaped
like a diary entry with the same driver and engine setup. No templates, no auth, no CSRF.

    gunicorn bench.ceiling:app   (DATABASE_URL from the environment)
"""

from __future__ import annotations

import os
import uuid
from datetime import date

from flask import Flask, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Column, Date, MetaData, SmallInteger, String, Table, Uuid

from app.db import UTCDateTime, make_engine, utcnow

metadata = MetaData()
entries = Table(
    "bench_ceiling_entries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("patient_id", Uuid, nullable=False),
    Column("local_date", Date, nullable=False),
    Column("client_entry_id", Uuid, nullable=False, unique=True),
    Column("mode", String(24), nullable=False),
    Column("overall_symptoms", SmallInteger),
    Column("mood", SmallInteger),
    Column("stress", SmallInteger),
    Column("energy", SmallInteger),
    Column("sleep_quality", SmallInteger),
    Column("created_at", UTCDateTime(), nullable=False),
)

app = Flask(__name__)
engine = make_engine(os.environ.get("DATABASE_URL", "sqlite://"))


@app.post("/entry")
def entry() -> ResponseReturnValue:
    data = request.get_json(force=True)
    row_id = uuid.uuid4()
    with engine.begin() as connection:
        connection.execute(
            entries.insert().values(
                id=row_id,
                patient_id=uuid.UUID(data["patient_id"]),
                local_date=date.fromisoformat(data["local_date"]),
                client_entry_id=uuid.UUID(data["submission_id"]),
                mode="full",
                overall_symptoms=data.get("overall_symptoms"),
                mood=data.get("mood"),
                stress=data.get("stress"),
                energy=data.get("energy"),
                sleep_quality=data.get("sleep_quality"),
                created_at=utcnow(),
            )
        )
    return {"id": str(row_id)}, 201


@app.get("/healthz")
def healthz() -> ResponseReturnValue:
    return {"status": "ok"}
