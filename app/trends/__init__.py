"""Clinician trend views: upcoming follow-ups with flags, pre-visit summary (screen, print,
CSV), coordinator caseload and pathway metrics. Read-side only."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.careplan import wording
    from app.diary import catalogs
    from app.instruments import wording as score_wording
    from app.instruments.labels import BAND_LABELS
    from app.trends.glance import caseload_text, change_only_text, headline_text
    from app.trends.labels import FLAG_LABELS, PERIOD_LABELS
    from app.trends.summary import PERIODS

    app.jinja_env.globals.update(
        FLAG_LABELS=FLAG_LABELS,
        PERIOD_LABELS=PERIOD_LABELS,
        PERIODS=PERIODS,
        TEAM_GOAL_STATUS=wording.TEAM_STATUS,
        goal_progress_details=wording.progress_details,
        BAND_LABELS=BAND_LABELS,
        DIARY_CATALOGS=catalogs,
        headline_text=headline_text,
        caseload_text=caseload_text,
        change_only_text=change_only_text,
        signed_delta=score_wording.signed,
        incomplete_text=score_wording.incomplete_text,
        score_text=score_wording.score_text,
        score_change_text=score_wording.score_change_text,
    )
