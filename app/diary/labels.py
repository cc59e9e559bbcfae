"""Translatable labels of the diary feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_ACTION_LABELS = {
    "diary.entry_create": _l("Saved a diary entry"),
    "diary.entry_amend": _l("Changed a diary entry"),
    "diary.observation_create": _l("Added a caregiver observation"),
    "diary.symptoms_update": _l("Changed the tracked symptoms"),
    "diary.summary_view": _l("Viewed the diary summary"),
}
"""Labels of the audit actions this feature records (the patient's access log shows them)."""
