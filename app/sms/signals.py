"""SMS events that features above the SMS layer answer (convention 11: one way to talk).

    from app.sms.signals import crisis_lines, text_kept

    @text_kept.connect
    def alert_team(app, *, text_id, patient_id, sender_id): ...

    @crisis_lines.connect
    def lines(app, *, clinic_id, locales): return [("Crisis line", "555-0100")]

`text_kept` is sent by `patient_texts.keep_text` once per patient a kept text concerns,
after the row and its audit event are flushed, inside the request's transaction. Receivers
add work to the same session (`db.session`) and must not commit (the alerts feature raises a
"message to read" alert).

`crisis_lines` is sent while the automatic reply to a kept text is written. Each receiver
returns a list of (label, contact) for the clinic, in the first of `locales` that has any, or
an empty list; it must only read. The first non-empty answer is used.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

text_kept = _signals.signal("sms.text_kept")
crisis_lines = _signals.signal("sms.crisis_lines")
