"""Translatable labels of the careplan feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_ACTION_LABELS = {
    "care_plan.read": _l("Read a care-plan version"),
    "care_plan.versions": _l("Viewed the care-plan versions"),
    "care_plan.diff": _l("Compared care-plan versions"),
    "care_plan.version_create": _l("Saved a new care-plan version"),
    "care_plan.save_refused": _l("Care-plan save refused (plan changed meanwhile)"),
    "care_plan.comment_add": _l("Added a care-plan comment"),
}
"""Labels of the audit actions this feature records (the patient's access log shows them)."""
