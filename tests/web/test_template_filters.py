"""Every template relies only on what core registers, or on what its own feature registers.

Jinja fails late: a filter nobody registered is an error only when the template is compiled,
a global nobody registered renders as an empty string. So a template that uses a filter or a
global which some *other* feature happens to register works until that feature moves, is
switched off or registers later. These tests parse every template and hold it to this:

- every filter and test a template uses is registered by an app built with core alone
  (`app.i18n`, `app.web`), never by a feature;
- every global or context-processor value a template uses is registered by core (the
  frameworks, `app.i18n`, `app.web`, `app.labels`, the factory itself) or by the feature that
  owns the template (``app/<feature>/templates/...``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from jinja2 import Environment, meta, nodes

import app as app_package
from app import create_app, i18n, logs, web

APP_DIR = Path(app_package.__file__).parent
# Packages under app/ that are core: what any template may rely on.
CORE_PACKAGES = {"web", "i18n"}
CORE = "core"


def _templates() -> list[Path]:
    found = sorted(
        path
        for pattern in ("templates/**/*", "*/templates/**/*")
        for path in APP_DIR.glob(pattern)
        if path.suffix in {".html", ".txt"}
    )
    assert len(found) > 40, "the template walk found too few templates"
    return found


def _template_owner(path: Path) -> str:
    """`core` for app/templates, else the feature package the template lives in."""
    first = path.relative_to(APP_DIR).parts[0]
    return CORE if first == "templates" else first


def _module_owner(module: str) -> str:
    """The feature package a registering module belongs to, or `core`."""
    parts = module.split(".")
    if parts[0] != "app" or len(parts) == 1:
        return CORE  # the frameworks (Flask, Flask-Login, Flask-WTF, Flask-Babel), the factory
    package = parts[1]
    if package in CORE_PACKAGES or not (APP_DIR / package).is_dir():
        return CORE  # app.web, app.i18n, and core modules such as app.labels
    return package


def _parse(env: Environment, path: Path) -> nodes.Template:
    return env.parse(path.read_text(encoding="utf-8"), name=str(path), filename=str(path))


def _used(tree: nodes.Template, kind: type[nodes.Filter] | type[nodes.Test]) -> set[str]:
    return {node.name for node in tree.find_all(kind)}


def _core_only_app() -> Flask:
    """An app with core alone: the modules every feature may rely on, and nothing else."""
    core = Flask("app", root_path=str(APP_DIR))
    core.config.update(SECRET_KEY="x", DEFAULT_TIMEZONE="UTC")
    i18n.init_app(core)
    web.init_app(core)
    return core


def test_every_filter_and_test_a_template_uses_is_registered_by_core() -> None:
    env = _core_only_app().jinja_env
    missing = [
        f"{path.relative_to(APP_DIR)}: {kind} {name!r}"
        for path in _templates()
        for kind, registered, names in (
            ("filter", env.filters, _used(_parse(env, path), nodes.Filter)),
            ("test", env.tests, _used(_parse(env, path), nodes.Test)),
        )
        for name in sorted(names)
        if name not in registered
    ]
    assert not missing, "register these in app/web or app/i18n:\n" + "\n".join(missing)


class _Tracking(dict):
    """A Jinja namespace (globals, filters, tests) that remembers which module set each key."""

    def __init__(self, base: dict[str, Any], owners: dict[str, set[str]]) -> None:
        super().__init__(base)
        self.owners = owners
        for key in base:
            owners.setdefault(key, set()).add(CORE)  # Jinja's and Flask's own

    def _caller(self) -> str:
        frame = sys._getframe(2)
        while frame is not None and frame.f_globals.get("__name__") == __name__:
            frame = frame.f_back
        return frame.f_globals.get("__name__", "?") if frame is not None else "?"

    def __setitem__(self, key: str, value: Any) -> None:
        self.owners.setdefault(key, set()).add(_module_owner(self._caller()))
        super().__setitem__(key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]


@pytest.fixture
def full_app(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Iterator[tuple[Flask, dict[str, set[str]]]]:
    """The full app, and who registers each of its template globals and context values."""
    found: dict[str, set[str]] = {}
    original: Callable[[Flask], Environment] = logs.Heed.create_jinja_environment

    def tracked(self: Flask) -> Environment:
        env = original(self)
        env.globals = _Tracking(env.globals, found)
        return env

    monkeypatch.setattr(logs.Heed, "create_jinja_environment", tracked)
    full = create_app({"DATABASE_URL": database_url})
    assert isinstance(full.jinja_env.globals, _Tracking)
    with full.test_request_context():
        for processors in full.template_context_processors.values():
            for processor in processors:
                for key in processor():
                    found.setdefault(key, set()).add(_module_owner(processor.__module__))
    yield full, found
    full.extensions["heed.engine"].dispose()


def test_every_global_a_template_uses_is_registered_by_core_or_its_own_feature(
    full_app: tuple[Flask, dict[str, set[str]]],
) -> None:
    full, owners = full_app
    env = full.jinja_env
    wrong = []
    for path in _templates():
        owner = _template_owner(path)
        for name in sorted(meta.find_undeclared_variables(_parse(env, path))):
            registrants = owners.get(name)
            if registrants is None:
                continue  # passed by the view that renders the template
            if CORE not in registrants and owner not in registrants:
                wrong.append(f"{path.relative_to(APP_DIR)}: {name!r} from {sorted(registrants)}")
    assert not wrong, "register these in core, or in the template's own feature:\n" + "\n".join(
        wrong
    )


def test_the_structural_walk_sees_filters_and_globals_from_features() -> None:
    """The walk itself: a template using a feature's filter or global is caught."""
    env = _core_only_app().jinja_env
    tree = env.parse(
        "{{ SOME_FEATURE_LABELS[x] | feature_only }}{% if y is feature_test %}{% endif %}"
    )
    assert _used(tree, nodes.Filter) - set(env.filters) == {"feature_only"}
    assert _used(tree, nodes.Test) - set(env.tests) == {"feature_test"}
    names = meta.find_undeclared_variables(env.parse("{% set x = 1 %}{{ LABELS[x] }}{{ y }}"))
    assert names == {"LABELS", "y"}
    assert _module_owner("app.diary.summary") == "diary"
    assert _module_owner("app.i18n.formatting") == _module_owner("app.labels") == CORE
    assert _module_owner("flask_login.utils") == CORE
