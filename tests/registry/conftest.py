"""Registry fixtures: the trend views' bulk helpers and statement counter."""

from __future__ import annotations

from tests.trends.conftest import count_queries  # noqa: F401 - fixture
