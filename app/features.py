"""How `create_app` wires every feature, one way.

For each package in `FEATURES`, in order:

1. its `hooks.py` and `data_rights.py` are imported: their decorators connect the feature's
   receivers to the signals of `app.signals` (import once, connected for the process);
2. every Blueprint its `views.py` defines is registered, and the labels of the audit actions
   it records (`labels.AUDIT_ACTION_LABELS`) join the access log's labels;
3. its `init_app(app)` (in the package's `__init__.py`), if any, adds what is left: Jinja
   globals for its own templates, app extensions, context processors.

A feature needs nothing else: no register() call, no line in `create_app`. The order is the
order receivers run in (the export's sections, erasure) and blueprints register in.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from flask import Blueprint, Flask

from app.labels import add_audit_action_labels

FEATURES: tuple[str, ...] = (
    "app.admin",
    "app.alerts",
    "app.auth",
    "app.careplan",
    "app.careteam",
    "app.conferences",
    "app.consent",
    "app.datarights",
    "app.diary",
    "app.education",
    "app.followups",
    "app.home",
    "app.instruments",
    "app.referrals",
    "app.prems",
    "app.pwa",
    "app.trends",
    "app.registry",
    "app.api",
)
"""Feature packages, wired in this order (i13-prompts adds "app.prompts" and "app.sms")."""

FRINGE = ("hooks", "data_rights")
"""The modules whose import connects a feature's receivers."""


def _optional(name: str) -> ModuleType | None:
    return import_module(name) if find_spec(name) is not None else None


def blueprints(views: ModuleType) -> list[Blueprint]:
    """The Blueprints a views module defines (not ones it imports), in definition order."""
    return [
        value
        for value in vars(views).values()
        if isinstance(value, Blueprint) and value.import_name == views.__name__
    ]


def wire(app: Flask, features: tuple[str, ...] | None = None) -> None:
    for name in FEATURES if features is None else features:
        package = import_module(name)
        for fringe in FRINGE:
            _optional(f"{name}.{fringe}")
        views = _optional(f"{name}.views")
        for blueprint in blueprints(views) if views is not None else []:
            app.register_blueprint(blueprint)
        labels = _optional(f"{name}.labels")
        if labels is not None and hasattr(labels, "AUDIT_ACTION_LABELS"):
            add_audit_action_labels(app, labels.AUDIT_ACTION_LABELS)
        init_app = getattr(package, "init_app", None)
        if init_app is not None:
            init_app(app)
