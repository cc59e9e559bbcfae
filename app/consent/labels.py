"""Translatable labels of versioned consent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.consent.models import ConsentDecision, ConsentMethod, ConsentPurpose, VersionStatus

PURPOSE_LABELS = {
    ConsentPurpose.CARE: _l("Use of Heed for my care"),
    ConsentPurpose.SMS: _l("Text messages"),
    ConsentPurpose.CAREGIVER: _l("Sharing with a caregiver I name"),
    ConsentPurpose.RESEARCH: _l("Being contacted about research (optional)"),
}
METHOD_LABELS = {
    ConsentMethod.SELF: _l("Online, by the patient"),
    ConsentMethod.VERBAL: _l("Verbal, recorded by staff"),
    ConsentMethod.PAPER: _l("Signed paper form, recorded by staff"),
    ConsentMethod.LEGACY: _l("Recorded before versioned consent"),
    ConsentMethod.TEXT: _l("By text message"),
}
DECISION_LABELS = {
    ConsentDecision.GIVEN: _l("Agreed"),
    ConsentDecision.WITHDRAWN: _l("Withdrawn"),
}
STATUS_LABELS = {
    VersionStatus.DRAFT: _l("Draft"),
    VersionStatus.PUBLISHED: _l("Published"),
    VersionStatus.RETIRED: _l("Retired"),
}

AUDIT_ACTION_LABELS = {
    "consent.draft": _l("Drafted a consent document version"),
    "consent.publish": _l("Published a consent document version"),
    "consent.material": _l("Marked a consent document change as material"),
    "consent.give": _l("Recorded a consent"),
    "consent.withdraw": _l("Recorded a consent withdrawal"),
    "consent.pdf": _l("Stored a consent PDF (SHA-256 recorded)"),
    "consent.pdf_download": _l("Downloaded a consent PDF"),
}
"""Labels of the audit actions this feature records (the patient's access log shows them)."""
