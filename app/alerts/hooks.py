"""The alerts' receivers: the alerts section of a patient's record (care team and coordinator only)."""

from __future__ import annotations

from flask_login import current_user

from app.access import Action, may
from app.alerts import queries
from app.alerts.forms import AcknowledgeForm
from app.alerts.rules import rule_label
from app.careteam.models import Patient
from app.sections import Section, provider


@provider("record")
def record_alerts(patient: Patient) -> Section | None:
    if not may(current_user, Action.ACKNOWLEDGE_ALERT, patient):
        return None
    alerts = queries.alerts_for(patient)
    return Section(
        "alerts/_record_alerts.html",
        {
            "alerts": alerts,
            "occurrences": queries.occurrences(alerts),
            "can_acknowledge": True,
            "can_configure": True,
            "ack_form": AcknowledgeForm(),
            "rule_label": rule_label,
        },
        order=1,
    )
