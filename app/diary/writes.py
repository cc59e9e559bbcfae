"""The diary's write path in SQLAlchemy Core (issue 19: one lean diary write path).

`app.diary.services.record_entry` decides what to write (idempotency, versions, quick-entry
merging, the revision's changes); this module writes it with Core statements instead of the
ORM's unit of work, and keeps the session's `DiaryEntry` object the same as the row, so that
callers read the saved entry as before, without another query:

- `day_state`: the day's entry (with its ratings and activities) and the revision a submission
  id already wrote, in one statement;
- `insert_entry` / `update_entry`: the entry's row; an UPDATE names the version it read and
  raises `StaleDataError` when that version moved on (as the ORM's version counter did);
- `sync_children`: only the ratings and activities that changed;
- `insert_revision`: the revision row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, literal, select, update
from sqlalchemy.orm import joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from app.db import db
from app.diary.models import (
    ActivityBlock,
    DiaryEntry,
    DiaryRevision,
    EntryMode,
    RevisionKind,
    SymptomRating,
)
from app.diary.values import SCALAR_FIELDS, DiaryValues

ENTRIES = DiaryEntry.__table__
RATINGS = SymptomRating.__table__
BLOCKS = ActivityBlock.__table__
REVISIONS = DiaryRevision.__table__


@dataclass(frozen=True)
class DayState:
    """The day's entry (None: none yet) and what a submission id already wrote: the entry its
    revision belongs to and the revision's payload digest (None: the id is new)."""

    entry: DiaryEntry | None
    seen_entry_id: uuid.UUID | None = None
    seen_digest: str | None = None


def day_state(*, patient_id: uuid.UUID, local_date: date, submission_id: uuid.UUID) -> DayState:
    """One statement: a one-row anchor, the day's entry (unique per patient and date) and its
    children by index, and the submission's revision (unique per submission id)."""
    anchor = select(literal(1).label("one")).subquery("anchor")
    statement = (
        select(DiaryEntry, DiaryRevision.entry_id, DiaryRevision.payload_digest)
        .select_from(anchor)
        .outerjoin(
            DiaryEntry,
            and_(DiaryEntry.patient_id == patient_id, DiaryEntry.local_date == local_date),
        )
        .outerjoin(DiaryRevision, DiaryRevision.submission_id == submission_id)
        .options(joinedload(DiaryEntry.symptoms), joinedload(DiaryEntry.activities))
    )
    row = db.session.execute(statement).unique().first()
    if row is None:  # pragma: no cover - the anchor always gives a row
        return DayState(None)
    return DayState(row[0], row[1], row[2])


def _columns(values: DiaryValues) -> dict[str, Any]:
    columns = {name: getattr(values, name) for name in SCALAR_FIELDS}
    columns["sleep_minutes"] = values.sleep_minutes
    columns["triggers"] = list(values.triggers)
    columns["custom_triggers"] = list(values.custom_triggers)
    return columns


def insert_entry(
    *,
    patient_id: uuid.UUID,
    local_date: date,
    values: DiaryValues,
    submission_id: uuid.UUID,
    actor_id: uuid.UUID,
    now: datetime,
) -> DiaryEntry:
    """Insert the day's first entry; a concurrent first entry of the same day raises
    IntegrityError here (see `db.commit_once`). Returns it as a persistent session object."""
    row = {
        "id": uuid.uuid4(),
        "patient_id": patient_id,
        "local_date": local_date,
        "client_entry_id": submission_id,
        "mode": values.mode,
        "created_by_id": actor_id,
        "created_at": now,
        "updated_at": now,
        "version": 1,
        **_columns(values),
    }
    db.session.execute(insert(ENTRIES).values(row))
    entry = DiaryEntry(**row)
    if not values.symptoms:
        entry.symptoms = []
    if not values.activities:
        entry.activities = []
    # The row exists: attach the object as loaded from it (no INSERT at the next flush); the
    # children written by `sync_children` load on first use.
    make_transient_to_detached(entry)
    db.session.add(entry)
    return entry


def update_entry(entry: DiaryEntry, *, values: DiaryValues, mode: EntryMode, now: datetime) -> None:
    """Write what changed, at the version read: another save since then matches no row and
    raises StaleDataError (the caller starts over)."""
    changed = {
        name: value for name, value in _columns(values).items() if getattr(entry, name) != value
    }
    if entry.mode != mode:
        changed["mode"] = mode
    changed.update(updated_at=now, version=entry.version + 1)
    result = db.session.execute(
        update(ENTRIES)
        .where(ENTRIES.c.id == entry.id, ENTRIES.c.version == entry.version)
        .values(changed)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleDataError(f"diary entry {entry.id} changed since it was read")
    for name, value in changed.items():
        set_committed_value(entry, name, value)


def sync_children(entry: DiaryEntry, *, values: DiaryValues, created: bool) -> None:
    """Ratings and activity blocks: delete the dropped ones, update the changed ones in place
    (delete-then-insert of the same key would clash on UNIQUE), insert the new ones."""
    old_ratings = {} if created else {r.symptom_key: r for r in entry.symptoms}
    wanted_ratings = {
        key: {"score": score, "body_site": values.body_sites.get(key)}
        for key, score in values.symptoms.items()
    }
    old_blocks = {} if created else {b.kind: b for b in entry.activities}
    wanted_blocks = {
        kind: {
            "planned_minutes": block.planned_minutes,
            "done_minutes": block.done_minutes,
            "exertion": block.exertion,
        }
        for kind, block in values.activities.items()
    }
    touched = _sync(
        RATINGS, RATINGS.c.symptom_key, "symptom_key", entry.id, old_ratings, wanted_ratings
    )
    touched |= _sync(BLOCKS, BLOCKS.c.kind, "kind", entry.id, old_blocks, wanted_blocks)
    if touched and not created:
        # Reload the collections on first use; rows deleted above leave the session.
        for gone in [*old_ratings.values(), *old_blocks.values()]:
            if gone in db.session:
                db.session.expunge(gone)
        db.session.expire(entry, ["symptoms", "activities"])


def _sync(
    table: Any,
    key_column: Any,
    key_name: str,
    entry_id: uuid.UUID,
    old: dict[Any, Any],
    wanted: dict[Any, dict[str, Any]],
) -> bool:
    dropped = [key for key in old if key not in wanted]
    if dropped:
        db.session.execute(
            delete(table).where(table.c.entry_id == entry_id, key_column.in_(dropped))
        )
    changed = [
        {"row_id": old[key].id, **fields}
        for key, fields in wanted.items()
        if key in old and any(getattr(old[key], k) != v for k, v in fields.items())
    ]
    if changed:  # one executemany for every changed row; SET names the fields they carry
        db.session.execute(update(table).where(table.c.id == bindparam("row_id")), changed)
    new = [
        {"id": uuid.uuid4(), "entry_id": entry_id, key_name: key, **fields}
        for key, fields in wanted.items()
        if key not in old
    ]
    if new:
        db.session.execute(insert(table).values(new))
    return bool(dropped or changed or new)


def insert_revision(
    *,
    entry_id: uuid.UUID,
    submission_id: uuid.UUID,
    digest: str,
    created: bool,
    actor_id: uuid.UUID,
    actor_role: str,
    changes: dict[str, Any],
    now: datetime,
) -> None:
    """The revision row; a concurrent save of the same submission id raises IntegrityError."""
    db.session.execute(
        insert(REVISIONS).values(
            id=uuid.uuid4(),
            entry_id=entry_id,
            submission_id=submission_id,
            payload_digest=digest,
            kind=RevisionKind.CREATED if created else RevisionKind.AMENDED,
            actor_id=actor_id,
            actor_role=actor_role,
            at=now,
            changes=changes,
        )
    )
