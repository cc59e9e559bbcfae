"""Translatable labels of the followups feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_ACTION_LABELS = {
    "followup.schedule": _l("Scheduled a follow-up"),
    "followup.status": _l("Changed a follow-up's status"),
}
"""Labels of the audit actions this feature records (the patient's access log shows them)."""
