"""The names Heed stores in the signed session cookie that more than one package reads (the
texted link's task session: `app.sms` writes them, `app.web` reads them). A core module: any
layer may import it, and it imports nothing of Heed's."""

from __future__ import annotations

TASK_GRANT = "_heed_task"
"""The one task a redeemed one-time link opened (`app.sms.magic`)."""

TASK_ONLY = "_heed_task_only"
"""Marks a session opened by a texted link for one task (`app.sms.task_session`): any page
outside that task ends it, and the offline diary stays off (`app.web.offline`)."""
