"""The registry's reasons to put a patient on a case conference's agenda (`@agenda_rule`,
app/web/teamcare.py). Each rule reads a fixed number of queries for any number of patients and
judges with the pure functions of rules.py.

- "critical_alert" / "urgent_alert": a critical answer alert, or another urgent alert, first
  raised or raised again in [since, until];
- "phq9_item9": a PHQ-9 with a critical item 9 answer submitted in [since, until];
- "not_improving": PHQ-9 not improved by weeks 8-12 (as of `until`);
- "new_patient": enrolled in [since, until];
- "no_contact": no follow-up visit done for more than 4 weeks (as of `until`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from app.registry import queries, rules
from app.trends.caseload import states
from app.web.teamcare import AgendaReason, agenda_reason_label, agenda_rule

REASON_LABELS = {
    "critical_alert": _l("Critical answer alert since the last conference"),
    "urgent_alert": _l("Urgent alert since the last conference"),
    "phq9_item9": _l("PHQ-9 item 9 answered positive since the last conference"),
    "not_improving": _l("Not improving by weeks 8 to 12 (PHQ-9)"),
    "new_patient": _l("New patient since the last conference"),
    "no_contact": _l("No contact for more than 4 weeks"),
}


for _code, _label in REASON_LABELS.items():
    agenda_reason_label(_code, _label)


def _reasons(pairs: Iterable[tuple[uuid.UUID, str]]) -> list[AgendaReason]:
    return [AgendaReason(pid, code) for pid, code in pairs]


@agenda_rule
def alerts_raised(
    _sender: Any, *, patient_ids: frozenset[uuid.UUID], since: datetime, until: datetime, **_: Any
) -> list[AgendaReason]:
    return _reasons(rules.alert_codes(queries.raised_alerts(patient_ids, since=since, until=until)))


@agenda_rule
def phq9_item9(
    _sender: Any, *, patient_ids: frozenset[uuid.UUID], since: datetime, until: datetime, **_: Any
) -> list[AgendaReason]:
    found = queries.item9_positives(patient_ids, since=since, until=until)
    return _reasons((pid, "phq9_item9") for pid in found)


@agenda_rule
def course(
    _sender: Any,
    *,
    clinic_id: uuid.UUID,
    patient_ids: frozenset[uuid.UUID],
    since: datetime,
    until: datetime,
    **_: Any,
) -> list[AgendaReason]:
    """New patients, not improving and no contact: one read of the patients and their states."""
    patients = queries.patients_by_ids(clinic_id, patient_ids)
    if not patients:
        return []
    enrolled = {p.id: p.enrolled_at for p in patients}
    by_patient = states(patients, now=until)
    not_improving = {pid: s.not_improving for pid, s in by_patient.items()}
    silent = {
        pid: rules.no_contact(s.last_visit, enrolled_at=enrolled[pid], now=until)
        for pid, s in by_patient.items()
    }
    return _reasons(
        [
            *(
                (pid, "new_patient")
                for pid in rules.enrolled_between(enrolled, since=since, until=until)
            ),
            *((pid, "not_improving") for pid in rules.flagged(not_improving)),
            *((pid, "no_contact") for pid in rules.flagged(silent)),
        ]
    )
