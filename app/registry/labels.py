"""Labels of the registry's audit actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_ACTION_LABELS = {
    "registry.view": _l("Viewed the registry"),
    "registry.export": _l("Downloaded the registry (CSV)"),
}
