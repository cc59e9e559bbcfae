"""The SMS layer's receivers of `app.signals` (imported by `create_app`)."""

from __future__ import annotations

import uuid
from typing import Any

from app import signals
from app.prompts.services import cancel_all_pending
from app.sms import conversations


@signals.consent_withdrawn.connect
def stop_texts(_sender: Any, *, user_id: uuid.UUID, purpose: str, **_kwargs: Any) -> None:
    """Withdrawn SMS consent: no planned prompt goes out and no conversation continues."""
    if purpose != "sms":
        return
    cancel_all_pending(recipient_id=user_id, reason="opted_out")
    conversations.end_all(user_id=user_id)
