"""Test helper: change one part of one prompt kind for a test (undone by monkeypatch)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import Flask

from app.prompts.kinds import EXTENSION
from app.prompts.models import PromptPurpose


def swap_kind(
    app: Flask, monkeypatch: pytest.MonkeyPatch, purpose: PromptPurpose, **parts: object
) -> None:
    kinds = app.extensions[EXTENSION].kinds
    monkeypatch.setitem(kinds, purpose, replace(kinds[purpose], **parts))
