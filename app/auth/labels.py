"""Labels of the audit actions `auth` records (second-factor sign-in)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_ACTION_LABELS = {
    "auth.mfa_enrolled": _l("Added a second factor"),
    "auth.mfa_verified": _l("Signed in with a second factor"),
    "auth.mfa_failed": _l("A second factor was refused"),
    "auth.mfa_removed": _l("Removed a second factor"),
    "auth.recovery_code_used": _l("Used a recovery code"),
    "auth.recovery_codes_generated": _l("Created new recovery codes"),
    "auth.mfa_reset": _l("An administrator reset the second factor"),
}
