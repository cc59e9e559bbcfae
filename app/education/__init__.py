"""The education library: short Heed-written lessons in every locale, linked from the
patient's patterns, recommended by clinicians, attached to care-plan items, with a practice
log (docs/education.md)."""
