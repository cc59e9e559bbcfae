"""The one catalogue of signals: how a lower layer tells the features above it what happened.

Dependencies point one way (features → sms → prompts → core, CONVENTIONS.md 11). When a lower
layer needs a feature to act, it sends a signal defined here; the feature connects a receiver
in its `hooks.py`. Every signal says who sends it, with which arguments, and what a receiver
may do. Unless a signal says otherwise, the sender is the Flask app
(`current_app._get_current_object()`), it is sent inside the caller's transaction, and a
receiver may add rows to `db.session` and flush, **never commit or roll back** (the request or
job does that).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()


# ---------------------------------------------------------------------------------------------
# SMS and prompts
# ---------------------------------------------------------------------------------------------

prompt_kinds = _signals.signal("prompts.kinds")
"""Collects the prompt kinds (one `app.prompts.kinds.PromptKind` per `PromptPurpose`).

Sender: the app, once, from `app.prompts.kinds.init_app` at the end of `create_app`.
Arguments: none.
Receiver: returns an iterable of the `PromptKind`s its feature owns; it must not touch the
database. The catalogue refuses to start when a purpose has no kind, two kinds, or a kind
missing a required part.
"""

sms_opted_out = _signals.signal("sms.opted_out")
"""A person stopped text messages (STOP or its equivalents, or Twilio error 21610).

Sender: the app, from `app.sms.services.record_opt_out`, once per account on the number, after
consent is withdrawn, pending prompts are cancelled and `sms.opt_out` is audited.
Arguments: `user_id` (the account), `patient_id` (the patient record of that account, or None
for a caregiver or staff member), `event_id` (a stable id for this opt-out, usable as an
alert source).
Receiver: may add to the session and flush, never commit (the alerts feature raises
"The patient stopped text messages").
"""

sms_delivery_failed = _signals.signal("sms.delivery_failed")
"""A prompt could not be delivered: its retries are exhausted (the row is now failed).

Sender: the app, from `app.sms.outcomes.give_up`, inside the dispatch transaction that marks
the outbox row failed. (A number Twilio refuses permanently is flagged and audited as
`sms.number_flagged`; no signal is sent for it.)
Arguments: `outbox_id`, `patient_id` (the patient the prompt was about), `recipient_id`,
`reason` (today always `"retries_exhausted"`).
Receiver: may add to the session and flush, never commit, and must not send anything (it runs
while a dispatch batch holds its row locks); the alerts feature raises "Text messages could
not be delivered".
"""

text_kept = _signals.signal("sms.text_kept")
"""A text from a patient or caregiver was kept for the care team to read.

Sender: the app, from `app.sms.patient_texts.keep_text`, once per patient the text concerns,
after the `sms_patient_texts` row and its `sms.text_kept` audit event are flushed, inside the
webhook's transaction.
Arguments: `text_id`, `patient_id`, `sender_id`.
Receiver: may add to the session and flush, never commit (the alerts feature raises the urgent
"message to read" alert; a person must read every kept text, CLINICAL.md Safety).
"""

crisis_lines = _signals.signal("sms.crisis_lines")
"""Asks for the clinic's crisis lines while the automatic reply to a kept text is written.

Sender: the app, from `app.sms.patient_texts.kept_reply`.
Arguments: `clinic_id`, `locales` (the sender's language, then the defaults, in order).
Receiver: returns a list of (label, contact) in the first of `locales` that has any, or an
empty list; it must only read. The first non-empty answer is used.
"""
