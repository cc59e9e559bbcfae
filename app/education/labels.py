"""Translatable labels of the education feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_ACTION_LABELS = {
    "education.lesson_opened": _l("Lesson opened"),
    "education.practice_logged": _l("Practice marked as done"),
    "education.practice_undone": _l("Practice mark removed"),
    "education.recommended": _l("Lesson recommended"),
    "education.attached": _l("Lesson attached to the care plan"),
}
