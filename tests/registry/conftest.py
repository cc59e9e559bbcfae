"""Registry fixtures (the statement counter, `count_queries`, is in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def only_the_registry_s_own_columns():
    """The registry's own tests count cells and read the review column: the columns other
    features connect (referrals, social needs, conferences) are set aside while they run;
    each of those features tests its own column (e.g. tests/referrals/test_seams.py)."""
    from app.signals import registry_columns

    others = [
        receiver
        for receiver in list(registry_columns.receivers.values())
        if getattr(receiver, "__module__", "").startswith("app.")
    ]
    for receiver in others:
        registry_columns.disconnect(receiver)
    yield
    for receiver in others:
        registry_columns.connect(receiver, weak=False)
