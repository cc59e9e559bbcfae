"""Dependencies point one way: features → sms → prompts → core (CONVENTIONS.md 11).

The SMS transport imports no feature and prompts imports neither sms nor a feature, at module
level or inside a function; the long-running processes live in `app/jobs`. What sms must tell a
feature goes through `app/signals.py`; what prompts must know about a purpose comes from its
`PromptKind` (`app/prompts/kinds.py`), so neither keeps a registry of its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
FEATURES = {
    "admin",
    "alerts",
    "careplan",
    "diary",
    "followups",
    "home",
    "instruments",
    "trends",
}
# The patient-export fringe of sms still uses the datarights registry; i13-signals moves export
# and erasure onto app/signals.py (issue 13), after which this exception goes.
PENDING = {("app.sms.data_rights", "app.datarights.registry")}


def _imports(package: str) -> list[tuple[str, str, int]]:
    found = []
    for path in sorted((APP / package).rglob("*.py")):
        module = "app." + ".".join(path.relative_to(APP).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
                if node.module == "app":
                    names = [f"app.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found += [(module.removesuffix(".__init__"), name, node.lineno) for name in names]
    return found


def _upward(package: str, forbidden: set[str]) -> list[str]:
    return [
        f"{module}:{line} imports {target}"
        for module, target, line in _imports(package)
        if target.split(".")[:2][-1] in forbidden
        and target.startswith("app.")
        and (module, target) not in PENDING
    ]


def test_sms_is_transport_only():
    assert _upward("sms", FEATURES | {"jobs"}) == []


def test_prompts_imports_neither_sms_nor_features():
    assert _upward("prompts", FEATURES | {"sms", "jobs"}) == []


@pytest.mark.parametrize("package", ["sms", "prompts"])
def test_no_registries_in_sms_or_prompts(package):
    """One catalogue (prompt kinds) and signals, no register_*/unregister_* functions."""
    registries = [
        f"{path.relative_to(APP)}: {node.name}"
        for path in sorted((APP / package).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef) and node.name.startswith(("register", "unregister"))
    ]
    assert registries == []


def test_long_running_processes_live_in_jobs():
    assert {path.name for path in (APP / "jobs").glob("*.py")} >= {
        "clock.py",
        "leader.py",
        "worker.py",
    }
    assert not (APP / "clock.py").exists()
    assert not (APP / "sms" / "leader.py").exists() and not (APP / "sms" / "worker.py").exists()
