"""The patient's prompt schedule in their export (when reminders come, quiet hours, answering
by SMS). Erasure deletes it: an erased account is never prompted again."""

from __future__ import annotations

from datetime import time

from sqlalchemy import delete, select

from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db
from app.prompts.models import PromptSchedule


def _hm(value: time | None) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None else None


@exporter(covers=(PromptSchedule,), sections=("prompt_schedule",))
def prompt_schedule(patient: Patient) -> list[Section]:
    rows = db.session.scalars(
        select(PromptSchedule).where(PromptSchedule.user_id == patient.user_id)
    ).all()
    return [
        Section(
            "prompt_schedule",
            [
                {
                    "diary_reminder": row.diary_enabled,
                    "diary_reminder_time": _hm(row.diary_time),
                    "quiet_hours_start": _hm(row.quiet_start),
                    "quiet_hours_end": _hm(row.quiet_end),
                    "answer_diary_by_text": row.sms_diary_replies,
                    "changed_at": row.updated_at.isoformat(),
                }
                for row in rows
            ],
        )
    ]


@eraser(covers=(PromptSchedule,))
def erase_prompt_schedule(patient: Patient) -> None:
    db.session.execute(delete(PromptSchedule).where(PromptSchedule.user_id == patient.user_id))
    db.session.flush()
