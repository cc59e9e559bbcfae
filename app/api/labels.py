"""Translatable labels of the audit actions the API records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_ACTION_LABELS = {
    "api.token_create": _l("Created an API access token"),
    "api.token_revoke": _l("Revoked an API access token"),
    "api.fhir_read": _l("Read the record through the API (FHIR Bundle)"),
}
