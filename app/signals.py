"""The one catalogue of how features talk to each other (blinker signals).

A feature never calls into a feature it does not own; it sends a signal listed here, and the
features that care connect a receiver in their ``hooks.py`` (or ``data_rights.py``), which
``create_app`` imports once per feature (see ``app.features``). Receivers run in the order
they were connected (features are wired in ``app.features.FEATURES`` order).

Rules for every receiver, unless a signal says otherwise:

- it runs inside the sender's transaction: it may add to ``db.session`` and flush, it never
  commits or rolls back (the request or the job commits once);
- it checks access itself when it renders something for the current user;
- it never logs patient data.

Tests swap receivers with ``signal.connected_to(receiver, sender)`` or silence a signal with
``signal.muted()``; there are no register/unregister functions for tests.

SMS and prompts signals (opted out, delivery failed, inbound text kept) are listed in their
own section below.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableSet
from typing import Any

from blinker import NamedSignal, Namespace, Signal


class _OrderedSet(MutableSet[Any]):
    """A set that remembers insertion order, so receivers run in the order they connected
    (blinker's default set would make the export's section order vary between runs)."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self._items: dict[Any, None] = dict.fromkeys(items)

    def __contains__(self, item: object) -> bool:
        return item in self._items

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, value: Any) -> None:
        self._items[value] = None

    def discard(self, value: Any) -> None:
        self._items.pop(value, None)

    def copy(self) -> _OrderedSet:
        return _OrderedSet(self._items)


class OrderedSignal(NamedSignal):
    set_class = _OrderedSet  # type: ignore[assignment]


class _Namespace(Namespace):
    def signal(self, name: str, doc: str | None = None) -> OrderedSignal:  # type: ignore[override]
        if name not in self:
            self[name] = OrderedSignal(name, doc)
        return self[name]  # type: ignore[return-value]


_heed = _Namespace()


def ask_last(signal: Signal, sender: Any, **kwargs: Any) -> tuple[bool, Any]:
    """For signals with one answering receiver (the last connected wins, e.g. a test's
    stand-in): call only that receiver. Returns (answered, its result); (False, None) when
    no receiver is connected for `sender` or the signal is muted."""
    if signal.is_muted:
        return False, None
    receivers = list(signal.receivers_for(sender))
    if not receivers:
        return False, None
    return True, receivers[-1](sender, **kwargs)


# --- Data rights ---------------------------------------------------------------------------

export_requested = _heed.signal("data_rights.export_requested")
"""The patient's data is being exported (JSON, CSV zip, FHIR Bundle).

Sender: the authorized ``Patient``. No other arguments.
Receiver returns: ``list[app.datarights.registry.Section]`` (rows, optional FHIR resources).
A receiver only reads. Connect with ``@app.datarights.registry.exporter`` in the feature's
``data_rights.py``; ``covers=`` names the tables it exports (checked by tests/test_structure.py).
"""

erasure_requested = _heed.signal("data_rights.erasure_requested")
"""The patient's data is being erased (pseudonymized).

Sender: the ``Patient``. No other arguments. Receiver returns nothing.
A receiver removes or pseudonymizes the free text and identifiers its feature keeps: it may
update/delete in the session and flush, never commit. Connect with ``@eraser(covers=...)``.
"""


# --- Pages shared by several features ------------------------------------------------------

home_section = _heed.signal("sections.home")
"""The patient's home page is being rendered.

Sender: the ``Patient`` whose home it is. Receiver returns ``app.web.sections.Section | None``
(None: nothing to show, or the current user may not see it). Receivers check access, only
read (the view commits once after asking every receiver) and never write from templates.
Connect with ``@app.web.sections.provider("home")``.
"""

record_section = _heed.signal("sections.record")
"""A patient's record page is being rendered (care team, coordinator).

Sender: the ``Patient``. Same contract as ``home_section``; ``@provider("record")``.
"""

summary_section = _heed.signal("sections.summary")
"""A patient's pre-visit summary is being rendered (screen and print), below its top card.

Sender: the ``Patient`` (already authorized for the summary). Same contract as
``home_section``; ``@provider("summary")``. Use ``order`` < 20 for what belongs beside the
top card (e.g. "social need to discuss"), larger for sections lower down.
"""

staff_home_section = _heed.signal("sections.staff_home")
"""A clinician's or coordinator's home page is being rendered.

Sender: the signed-in staff ``User`` whose home it is. Receiver returns
``app.web.sections.Section | None`` (e.g. overdue actions they own, referrals waiting for
them). Same rules as ``home_section``; ``@provider("staff_home")``.
"""

metrics_section = _heed.signal("sections.metrics")
"""The coordinator's pathway-metrics page is being rendered.

Sender: the coordinator ``User``. Arguments: ``start`` and ``end`` (inclusive local dates of
the period asked for) and ``now`` (aware UTC). Receiver returns a ``Section | None`` with the
feature's own measures for the coordinator's clinic; read only, a constant number of queries.
Connect with ``@app.web.sections.provider("metrics")``.
"""

patterns_section = _heed.signal("sections.patterns")
"""A patient's "My patterns" page is being rendered (the patient, or a caregiver with the
diary scope).

Sender: the ``Patient``. Arguments: ``report`` (the page's ``app.diary.insights.PatternReport``),
``today`` (the patient's local date) and ``window_days`` (the days the page looks back over). Same contract as ``home_section`` (check access, read
only); ``@provider("patterns")``. Used by the read side to link a detected pattern to a lesson
with its rule ("Shown because ...").
"""

careplan_section = _heed.signal("sections.careplan")
"""A patient's care plan is being rendered (patient, care team, coordinator).

Sender: the ``Patient`` (already authorized for the plan). Arguments: ``plan`` (the current
``app.careplan.content.PlanContent``, empty without a version). Same contract as
``home_section``; ``@provider("careplan")``. Lets a feature show what it attached to the plan's
goals and interventions without the care plan importing it.
"""


# --- Team care: registry, case conferences, referrals --------------------------------------

registry_columns = _heed.signal("teamcare.registry_columns")
"""The measurement-based care registry is being built (screen and CSV).

Sender: the app. Arguments: ``clinic_id`` (UUID), ``patient_ids`` (``frozenset`` of the ids of the
active patients listed, already authorized for the viewer) and ``today`` (the viewer's
local date). Receiver returns ``app.web.teamcare.RegistryColumn | None``: one extra column
(e.g. open referrals, social need to discuss). It only reads and runs a constant number of
queries, whatever the number of patients (the registry's query budget is tested). Connect
with ``@app.web.teamcare.registry_column``.
"""

agenda_candidates = _heed.signal("teamcare.agenda_candidates")
"""A case conference's agenda is being built (automatically, until it is frozen).

Sender: the app. Arguments: ``clinic_id`` (UUID), ``patient_ids`` (``frozenset`` of the ids of the
active patients of the conference's care teams), ``since`` and ``until`` (aware UTC: the
previous conference of those teams, or four weeks back, and now).
Receiver returns an iterable of ``app.web.teamcare.AgendaReason`` (a patient and why they
should be discussed: critical alerts, not improving by weeks 8-12, overdue referrals ...): a
code and params; the code's lazy label is registered once with
``app.web.teamcare.agenda_reason_label`` (a reason with an unregistered code is refused) so
the stored agenda shows it in each viewer's language. Read only, constant number of queries. Connect with ``@app.web.teamcare.agenda_rule``.
"""

referral_created = _heed.signal("referrals.created")
"""A referral was created from the referral form (sent at once, or saved as a draft).

Sender: the app, from `app.referrals.views.for_patient`, after `services.create` flushed the
referral and its audit event, inside the request's transaction. Arguments: `patient_id`,
`referral_id`, `sent` (bool) and `origin` (the opaque token the form was opened with,
`?origin=...`, see `app.web.origin`; None when opened plainly). Referrals never interpret
`origin`. Receiver: may add to the session and flush, never commit (case conferences close the
referral decision the token names and link it to the referral).
"""

services_for_need = _heed.signal("teamcare.services_for_need")
"""Asks for directory services that match a confirmed or screened social need, to suggest
(never send) a referral.

Sender: the app. Arguments: ``patient`` (already authorized ``Patient``), ``need`` (a
social-needs domain code: "food", "housing", "transportation" or "utilities").
Receiver returns a list of ``app.web.teamcare.SuggestedService`` (active services of the
patient's clinic for that need, each with the address of a prefilled referral form); read
only. Without a receiver (no directory) nothing is suggested. The first non-empty answer is
used.
"""


# --- Care plan -----------------------------------------------------------------------------

measure_observations = _heed.signal("careplan.measure_observations")
"""A linked care-plan goal needs its observations.

Sender: the measure kind (``str``, a linked kind of ``app.careplan.measures.KINDS``); connect
with ``sender=kind`` (``@app.careplan.sources.observes(kind)``).
Arguments: ``patient`` (already authorized), ``measure`` (``Measure``), ``start`` and ``end``
(inclusive local dates). Receiver returns ``list[tuple[date, float | None]]``: a day without
data is absent or None, never 0. Read only. With no receiver the plan says the goal is not
linked to data yet; with several, the last connected wins (a test's stand-in).
"""

care_plan_saved = _heed.signal("careplan.version_saved")
"""A care-plan version was saved from the editor.

Sender: the app, from `app.careplan.views.edit`, after `services.save_version` flushed the version
and its audit event, inside the request's transaction.
Arguments: `patient_id`, `version_id`, `version` (its number), `origin` (an opaque token the
editor was opened with, `?origin=...`, letters, digits, ":", "_" and "-" only; None when the
editor was opened plainly). The care plan never interprets `origin`.
Receiver: may add to the session and flush, never commit (case conferences close the decision
the token names and link it to the version).
"""

care_plan_proposal = _heed.signal("careplan.proposal")
"""The care-plan editor was opened with an origin token and asks what it proposes.

Sender: the app, from `app.careplan.views.edit`. Arguments: `patient` (authorized for editing the
plan), `origin` (the opaque token). Receiver returns an object with `heading`, `text`,
`back_url` and `back_label` (shown above the editor), and optionally `section` (where `text`
is written into the editor as an unsaved draft: "interventions", the default, "goals",
"hypotheses", "escalation" or "crisis_plan"), or None for a token it does not know.
Read only. The first answer that is not None is shown and written in; nothing is saved until
the clinician saves.
"""


# --- Follow-ups ----------------------------------------------------------------------------

followup_done = _heed.signal("followups.appointment_done")
"""A follow-up was recorded as done (its status changed to done; never sent twice in a row for
the same appointment, and not for planned, missed or cancelled).

Sender: the Flask app. Arguments: ``appointment_id``, ``patient_id``, ``clinician_id`` (the
clinician the visit was with), ``starts_at`` (aware UTC) and ``now`` (aware UTC). Sent by
``app.followups.services.set_status`` after the status change and its ``followup.status``
audit event are flushed, inside the same transaction. Receivers may add to the session and
flush, never commit, and must not send anything themselves (the experience-survey feature
records an invitation; the SMS planner sends it later).
"""


# --- Diary ---------------------------------------------------------------------------------

entry_saved = _heed.signal("diary.entry_saved")
"""A diary entry was created or amended.

Sender: the Flask app. Arguments: ``patient_id``, ``local_date``, ``entry_id``, ``created``
(bool). Sent by ``app.diary.services.record_entry`` after the entry, its revision and its
audit event are flushed, inside the same transaction. Receivers (e.g. prompts cancelling the
day's reminders) may add work to the session; they never commit.
"""


# --- Alerts --------------------------------------------------------------------------------

alert_raised = _heed.signal("alerts.alert_raised")
"""An alert was raised or raised again (a new source attached to an open alert).

Sender: the ``Alert`` (flushed, with its new source). Arguments: ``rule_code``, ``created``
(False for a repeat), ``source_type``, ``source_id``. Sent by
``app.alerts.services.raise_alert`` after its audit event. Receivers may add to the session
and flush, never commit; notifying people stays with ``app.alerts.notify`` (the routing).
"""


# --- SMS and prompts -----------------------------------------------------------------------

prompt_kinds = _heed.signal("prompts.kinds")
"""Collects the prompt kinds (one `app.prompts.kinds.PromptKind` per `PromptPurpose`).

Sender: the app, once, from `app.prompts.kinds.init_app` at the end of `create_app`.
Arguments: none.
Receiver: returns an iterable of the `PromptKind`s its feature owns; it must not touch the
database. The catalogue refuses to start when a purpose has no kind, two kinds, or a kind
missing a required part.
"""

sms_opted_out = _heed.signal("sms.opted_out")
"""A person stopped text messages (STOP or its equivalents, or Twilio error 21610).

Sender: the app, from `app.sms.services.record_opt_out`, once per account on the number, after
consent is withdrawn, pending prompts are cancelled and `sms.opt_out` is audited.
Arguments: `user_id` (the account), `patient_id` (the patient record of that account, or None
for a caregiver or staff member), `event_id` (a stable id for this opt-out, usable as an
alert source).
Receiver: may add to the session and flush, never commit (the alerts feature raises
"The patient stopped text messages").
"""

consent_withdrawn = _heed.signal("consent.withdrawn")
"""A patient withdrew consent to one purpose (versioned consent, `app.consent`).

Sender: the app, from `app.consent.services.withdraw`, after the withdrawal is recorded and
its immediate effects in the core are done (the SMS agreement ended, caregiver grants revoked).
Arguments: `patient_id`, `user_id` (the patient's account), `purpose` ("care", "sms",
"caregiver" or "research").
Receiver: may add to the session and flush, never commit (the SMS layer cancels the pending
prompts to the patient and ends open text conversations when `purpose` is "sms").
"""

sms_delivery_failed = _heed.signal("sms.delivery_failed")
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

text_kept = _heed.signal("sms.text_kept")
"""A text from a patient or caregiver was kept for the care team to read.

Sender: the app, from `app.sms.patient_texts.keep_text`, once per patient the text concerns,
after the `sms_patient_texts` row and its `sms.text_kept` audit event are flushed, inside the
webhook's transaction.
Arguments: `text_id`, `patient_id`, `sender_id`.
Receiver: may add to the session and flush, never commit (the alerts feature raises the urgent
"message to read" alert; a person must read every kept text, CLINICAL.md Safety).
"""

crisis_lines = _heed.signal("sms.crisis_lines")
"""Asks for the clinic's crisis lines while the automatic reply to a kept text is written, and
for the last screen of the introduction a patient or caregiver sees at first sign-in.

Sender: the app, from `app.sms.patient_texts.kept_reply` and `app.auth.onboarding`.
Arguments: `clinic_id`, `locales` (the sender's language, then the defaults, in order).
Receiver: returns a list of (label, contact) in the first of `locales` that has any, or an
empty list; it must only read. The first non-empty answer is used.
"""

instrument_names = _heed.signal("instruments.names")
"""Asks for the published names of questionnaires ("GAD-7", never the code "gad7"), for a
feature that shows an instrument it knows only by id (the alerts' rule labels).

Sender: the app, from `app.alerts.rules.rule_label`.
Arguments: none.
Receiver: returns a mapping of instrument id to its published short title; it must only read
(the instruments feature answers from its loaded definitions).
"""
