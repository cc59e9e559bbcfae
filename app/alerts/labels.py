"""Translatable labels of the alerts feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_ACTION_LABELS = {
    "alert.create": _l("An alert was raised"),
    "alert.acknowledge": _l("Acknowledged an alert"),
    "alert.repeat": _l("An open alert was raised again"),
    "alert.escalate": _l("An unacknowledged alert was escalated"),
    "alert.settings": _l("Changed the alert thresholds"),
    "alert.notify_again": _l(
        "An open urgent alert was raised again; the care team is emailed again"
    ),
    "alert.source_change": _l("An answer that raised an alert was changed afterwards"),
    "alert.inbox_view": _l("Viewed the alerts inbox"),
}
"""Labels of the audit actions this feature records (the patient's access log shows them)."""
