"""Origin tokens: an opaque word naming where an edit started (e.g. a case-conference decision
opening the care-plan editor or the referral form). The page carrying it never interprets it;
it hands it back in a signal (`care_plan_saved`, `referral_created`) to whoever made it."""

from __future__ import annotations

import re

ORIGIN_RE = re.compile(r"[A-Za-z0-9:_-]{1,80}")


def origin_or_none(raw: str | None) -> str | None:
    """The token from `?origin=...` (or a form's hidden field) when well formed, else None."""
    return raw if raw and ORIGIN_RE.fullmatch(raw) else None
