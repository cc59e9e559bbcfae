"""Shared by the alert tests."""

from __future__ import annotations

import uuid

from app.alerts import services
from app.alerts.models import Alert, Severity


def raise_test_alert(
    patient_id: uuid.UUID, rule: str = "critical_answer", severity: Severity = Severity.URGENT
) -> Alert:
    """An alert (urgent by default) from a test source."""
    return services.raise_alert(
        patient_id=patient_id,
        rule_code=rule,
        severity=severity,
        source_type="test",
        source_id=uuid.uuid4(),
    )
