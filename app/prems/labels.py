"""Translatable labels of the experience-survey feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_ACTION_LABELS = {
    "prems.invite": _l("Invited to a survey about a visit"),
    "prems.answer": _l("Answered a survey about a visit"),
}
"""Labels of the audit actions this feature records (the patient's access log shows them)."""
