"""Translatable labels of the audit actions the API records."""

from __future__ import annotations

AUDIT_ACTION_LABELS: dict[str, object] = {}
