"""Structural contracts every feature is held to (see docs/architecture.md, "Adding a feature").

- Every table with a patient column is covered by some export receiver and some erasure
  receiver (or is kept on erasure on purpose). A *patient column* is a column named
  ``patient_id`` (a foreign key to ``patients`` or, in the audit trail, the bare id) or a
  ``user_id`` foreign key to ``users`` (tables keyed on the person: for a patient account it
  is the patient's own user). ``patients`` itself counts.
- What a receiver declares it covers (``covers=``) is what its SQL actually reads or writes.
- Every audit action recorded anywhere has a label, in every shipped locale.
- Every Jinja filter or test a template uses is registered by the core (`app.web`,
  `app.i18n`); every global or context value by the core or the feature the template
  belongs to (anything else the view passes).
- Migrations never import application code (the merged ones that did are frozen as they are).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from jinja2 import Environment, nodes
from sqlalchemy import event

import app as heed
from app import create_app, features, signals
from app.access import Action
from app.datarights.registry import COVERS_ATTRIBUTE, SECTIONS_ATTRIBUTE
from app.db import db
from app.instruments.models import AssignmentStatus
from app.labels import add_audit_action_labels
from app.schema import Base

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"


def patient_tables() -> set[str]:
    found = {"patients"}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            targets = {fk.column.table.name for fk in column.foreign_keys}
            if column.name == "patient_id" or (column.name == "user_id" and "users" in targets):
                found.add(table.name)
    return found


def _receivers(signal: object) -> list[object]:
    return list(signal.receivers.values())  # type: ignore[attr-defined]


def _covered(signal: object) -> set[str]:
    return {table for r in _receivers(signal) for table in getattr(r, COVERS_ATTRIBUTE, ())}


def _kept_on_erasure() -> set[str]:
    modules = {getattr(r, "__module__", "") for r in _receivers(signals.erasure_requested)}
    modules |= {f"{name}.data_rights" for name in features.FEATURES}
    kept: set[str] = set()
    for name in modules:
        module = __import__(name, fromlist=["_"]) if _exists(name) else None
        kept |= {model.__tablename__ for model in getattr(module, "KEPT_ON_ERASURE", ())}
    return kept


def _exists(module: str) -> bool:
    return (ROOT / (module.replace(".", "/") + ".py")).exists()


def test_every_patient_table_is_exported(app: Flask) -> None:
    uncovered = patient_tables() - _covered(signals.export_requested)
    assert not uncovered, f"no exporter covers: {sorted(uncovered)}"


def test_every_patient_table_is_erased_or_kept_on_purpose(app: Flask) -> None:
    handled = _covered(signals.erasure_requested) | _kept_on_erasure()
    uncovered = patient_tables() - handled
    assert not uncovered, f"no eraser, and not in a KEPT_ON_ERASURE: {sorted(uncovered)}"


def test_the_patient_tables_are_the_expected_ones() -> None:
    """The definition above, pinned: a new table with a patient column shows up here."""
    assert {"diary_entries", "sms_outbox", "audit_events", "patients"} <= patient_tables()
    assert "clinics" not in patient_tables() and "diary_revisions" not in patient_tables()


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement.lower())

    engine = app.extensions["heed.engine"]
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


@pytest.mark.parametrize("signal", [signals.export_requested, signals.erasure_requested])
def test_declared_coverage_is_what_the_receivers_touch(app, make, statements, signal) -> None:
    """`covers=` is not a promise: every declared table (but the sender's own `patients`
    row) appears in the SQL the receiver sends for a patient."""
    patient = make.patient(team=[make.clinician()])
    with app.test_request_context():
        for receiver in _receivers(signal):
            declared = set(getattr(receiver, COVERS_ATTRIBUTE, ())) - {"patients"}
            if not declared:
                continue
            db.session.expire_all()
            statements.clear()
            receiver(db.session.get(type(patient), patient.id))  # type: ignore[operator]
            db.session.flush()
            sql = " ".join(statements)
            missing = {t for t in declared if not re.search(rf"\b{t}\b", sql)}
            assert not missing, f"{receiver.__qualname__} declares {missing} but never touches them"  # type: ignore[attr-defined]
        db.session.rollback()


def test_every_exporter_names_the_sections_it_returns(app, make) -> None:
    """`sections=` is what a partial reader relies on to skip an exporter: it must be exactly
    the names the exporter returns."""
    patient = make.patient(team=[make.clinician()])
    with app.test_request_context():
        for receiver in _receivers(signals.export_requested):
            declared = getattr(receiver, SECTIONS_ATTRIBUTE, frozenset())
            name = receiver.__qualname__  # type: ignore[attr-defined]
            assert declared, f"{name} declares no sections"
            returned = {s.name for s in receiver(db.session.get(type(patient), patient.id))}  # type: ignore[operator]
            assert returned == declared, f"{name} returns {sorted(returned)}"
        db.session.rollback()


def test_every_feature_is_wired_one_way() -> None:
    """Every package with views is in FEATURES (prompts and sms join with i13-prompts), and
    only create_app / features.wire register blueprints (i18n and web, the core's, register their own)."""
    with_views = {p.name for p in APP.iterdir() if (p / "views.py").exists()}
    wired = {name.split(".")[1] for name in features.FEATURES}
    assert with_views - wired == {"i18n", "prompts", "sms"}
    registering = {
        str(path.relative_to(ROOT))
        for path in APP.rglob("*.py")
        if "register_blueprint(" in path.read_text() or "record_once(" in path.read_text()
    }
    assert registering == {
        "app/__init__.py",
        "app/features.py",
        "app/i18n/__init__.py",
        "app/web/__init__.py",
    }


# --- Audit actions -------------------------------------------------------------------------


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


# f-string actions, expanded: (file, template) -> the values its placeholder takes.
F_STRING_ACTIONS = {
    ("app/instruments/services.py", "instruments.assignment_{}"): {
        s.value for s in AssignmentStatus
    },
    ("app/careplan/views.py", "care_plan.{}"): "_audit_read",  # the 2nd argument of its calls
}


def recorded_audit_actions() -> dict[str, str]:
    """Every action passed to audit.record / audit.add / patient_or_404, found in the code."""
    found: dict[str, str] = {}
    for path in sorted(APP.rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        tree = ast.parse(path.read_text())
        assigned: dict[str, set[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, set()).update(_strings(node.value))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            owner = getattr(getattr(func, "value", None), "id", None)
            if name == "patient_or_404" and len(node.args) > 1:
                action = node.args[1]
                if isinstance(action, ast.Attribute) and action.attr in Action.__members__:
                    found.setdefault(f"patient.{Action[action.attr].value}", relative)
                continue
            if owner != "audit" or name not in {"record", "add"}:
                continue
            position = 0 if name == "record" else 1
            keyword = next((k.value for k in node.keywords if k.arg == "action"), None)
            if len(node.args) <= position and keyword is None:
                continue
            argument = node.args[position] if len(node.args) > position else keyword
            values: set[str]
            if isinstance(argument, ast.Name):
                values = assigned.get(argument.id, set())
            elif isinstance(argument, ast.JoinedStr):
                if relative == "app/access.py":
                    continue  # f"patient.{action}": the patient_or_404 calls, collected above
                values = _expand(tree, relative, argument)
            else:
                values = _strings(argument)
            assert values, f"{relative}:{node.lineno}: cannot tell which audit action this records"
            for value in values:
                found.setdefault(value, relative)
    return found


def _expand(tree: ast.AST, relative: str, argument: ast.JoinedStr) -> set[str]:
    template = "".join(
        part.value if isinstance(part, ast.Constant) else "{}" for part in argument.values
    )
    values = F_STRING_ACTIONS.get((relative, template))
    assert values is not None, (
        f"{relative}: add the f-string action {template!r} to F_STRING_ACTIONS"
    )
    if isinstance(values, str):
        values = {
            s.value
            for call in ast.walk(tree)
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == values
            for s in call.args[1:2]
            if isinstance(s, ast.Constant)
        }
    return {template.format(value) for value in values}


LOCALES = ("es", "fr", "de", "pt", "ar")


def _catalog(locale: str) -> dict[str, str]:
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file)
    return {
        message.id: message.string
        for message in catalog
        if isinstance(message.id, str) and message.string and not message.fuzzy
    }


def test_every_audit_action_has_a_label_in_every_locale(app: Flask) -> None:
    labels = app.jinja_env.globals["AUDIT_ACTION_LABELS"]
    actions = recorded_audit_actions()
    assert len(actions) > 60  # the collector sees the code (not an empty walk)
    assert "instruments.period_item" in actions and "care_plan.diff" in actions
    unlabelled = {action: where for action, where in actions.items() if action not in labels}
    assert not unlabelled, f"audit actions without a label: {unlabelled}"
    for locale in LOCALES:
        catalog = _catalog(locale)
        untranslated = sorted(
            action for action in actions if labels[action]._args[0] not in catalog
        )
        assert not untranslated, f"{locale}: labels not translated for {untranslated}"


def test_an_audit_action_has_one_owner(app: Flask) -> None:
    with pytest.raises(ValueError, match=r"labelled twice: diary\.entry_create"):
        add_audit_action_labels(app, {"diary.entry_create": "again"})


# --- Templates -----------------------------------------------------------------------------

# A template may use a filter or test only if the core (`app.web`, `app.i18n`, the frameworks)
# registers it, and a global or context value only if the core or the template's own feature
# registers it: Jinja fails late (an unregistered global renders as an empty string), so a
# borrowed name works until the lending feature moves or is switched off. Who registers what
# is measured by building an app with the core alone, then with each feature alone. (Jinja's
# `meta.find_undeclared_variables` cannot do this: it hides every name the environment holds.)

Registrations = dict[str, tuple[set[str], set[str]]]
"""owner ("core" or a feature) -> (filters and tests, globals and context values) it adds."""


def _registered(app: Flask) -> tuple[set[str], set[str]]:
    env = app.jinja_env
    names = set(env.globals)
    with app.test_request_context():
        for processors in app.template_context_processors.values():
            for processor in processors:
                names |= set(processor())
    app.extensions["heed.engine"].dispose()
    return set(env.filters) | {f"is {t}" for t in env.tests}, names


def _bare_app(database_url: str, monkeypatch: pytest.MonkeyPatch, wired: tuple[str, ...]) -> Flask:
    monkeypatch.setattr(features, "FEATURES", wired)
    monkeypatch.setattr(heed, "_wire_prompts_and_sms", lambda _app: None)
    try:
        return create_app({"DATABASE_URL": database_url})
    finally:
        monkeypatch.undo()


@pytest.fixture
def registrations(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Registrations:
    core = _registered(_bare_app(database_url, monkeypatch, ()))
    found = {"core": core}
    for name in features.FEATURES:
        filters, names = _registered(_bare_app(database_url, monkeypatch, (name,)))
        found[name.rsplit(".", 1)[1]] = (filters - core[0], names - core[1])
    return found


def _used(source: str, env: Environment) -> tuple[set[str], set[str]]:
    """(filters and tests, loaded names) a template uses."""
    tree = env.parse(source)
    filters = {f.name for f in tree.find_all(nodes.Filter)}
    filters |= {f"is {t.name}" for t in tree.find_all(nodes.Test)}
    return filters, {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}


def borrowings(
    templates: dict[str, str], env: Environment, registrations: Registrations
) -> set[tuple[str, str, str]]:
    """(template, name, lender) for every filter, test or global a template (path under app/ ->
    source) uses that neither the core nor, for globals, its own feature registers."""
    core_filters, core_names = registrations["core"]
    found = set()
    for path, source in templates.items():
        first = path.split("/", 1)[0]
        owner = "core" if first == "templates" else first
        own = registrations.get(owner, (set(), set()))[1]
        filters, names = _used(source, env)
        for name in filters - core_filters:
            found |= {(path, name, lender) for lender in _lenders(registrations, name, 0)}
        for name in names - core_names - own:
            found |= {(path, name, lender) for lender in _lenders(registrations, name, 1)}
    return found


def _lenders(registrations: Registrations, name: str, kind: int) -> set[str]:
    """The features that register `name`; none: a name the view passes (or a local), fine for
    a global, an error for a filter or test."""
    lenders = {owner for owner, sets in registrations.items() if name in sets[kind]}
    return lenders or ({"nobody"} if kind == 0 else set())


def _templates() -> dict[str, str]:
    found = {
        str(path.relative_to(APP)): path.read_text(encoding="utf-8")
        for path in sorted(APP.rglob("templates/**/*"))
        if path.suffix in {".html", ".txt"}
    }
    assert len(found) > 40, "the template walk found too few templates"
    return found


def test_templates_use_only_what_the_core_or_their_own_feature_registers(
    app: Flask, registrations: Registrations
) -> None:
    borrowed = borrowings(_templates(), app.jinja_env, registrations)
    assert not borrowed, "register these in core, or pass them from the view:\n" + "\n".join(
        f"{path}: {name!r} from {lender}" for path, name, lender in sorted(borrowed)
    )


def test_the_template_walk_catches_a_borrowed_filter_global_or_test(
    app: Flask, registrations: Registrations
) -> None:
    """The walk itself: a trends template using follow-ups' global (or a feature's filter or
    test) is caught; its own names, view-passed names and locals are not."""
    registrations = {**registrations, "diary": ({"feature_only", "is feature_test"}, set())}
    templates = {
        "trends/templates/trends/x.html": (
            "{% set local = 1 %}{{ MODALITY_LABELS[m] }}{{ PERIOD_LABELS[p] }}{{ s | feature_only }}"
            "{% if local is feature_test %}{{ view_value }}{{ _('x') }}{% endif %}"
        ),
        "followups/templates/followups/y.html": "{{ MODALITY_LABELS[m] }}",
    }
    assert borrowings(templates, app.jinja_env, registrations) == {
        ("trends/templates/trends/x.html", "MODALITY_LABELS", "followups"),
        ("trends/templates/trends/x.html", "feature_only", "diary"),
        ("trends/templates/trends/x.html", "is feature_test", "diary"),
    }


# --- Migrations ----------------------------------------------------------------------------

# Merged migrations are never edited: these import application code (column types from app.db
# and app.security; 0010 its encryption) and stay as they are. No other migration may.
FROZEN_APP_IMPORTS = {
    "0001": {"app.db", "app.security"},
    "0002": {"app.db"},
    "0003": {"app.db"},
    "0004": {"app.db", "app.security"},
    "0005": {"app.db"},
    "0006": {"app.db", "app.security"},
    "0007": {"app.db", "app.security"},
    "0008": {"app.db"},
    "0009": {"app.db"},
    "0010": {"app.security"},
    "0011": {"app.db", "app.security"},
    "0012": {"app.db"},
}


def _app_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name == "app" or a.name.startswith("app.")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "app":
            found.add(str(node.module))
    return found


def test_migrations_never_import_application_code() -> None:
    versions = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    assert len(versions) >= 15
    for path in versions:
        revision = re.search(r"_(\d{4})_", path.name).group(1)  # type: ignore[union-attr]
        imports = _app_imports(path)
        assert imports == FROZEN_APP_IMPORTS.get(revision, set()), (
            f"{path.name} imports {sorted(imports)}: copy the constants it needs instead"
        )
