"""Diary events other features listen to (for example, prompts cancelling the day's reminders).

    from app.diary.signals import entry_saved

    @entry_saved.connect
    def cancel_reminders(app, *, patient_id, local_date, entry_id, created):
        ...

`entry_saved` is sent by `services.record_entry` after the entry, its revision and its
audit event are flushed, inside the same transaction (the request commits it). Receivers
must only add work to the same session; they must not commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

entry_saved = _signals.signal("diary.entry_saved")
