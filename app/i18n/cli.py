"""`flask translate extract|update|compile|init LOCALE` around pybabel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"


def _pybabel(*args: str) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", *args]
    result = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 - fixed argv
    if result.returncode != 0:
        raise click.ClickException("pybabel " + " ".join(args[:1]) + " failed")


def extract_to(pot: Path) -> None:
    _pybabel(
        "extract",
        "-F",
        str(TRANSLATIONS / "babel.cfg"),
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "--project",
        "Heed",
        "--copyright-holder",
        "Heed contributors",
        "--msgid-bugs-address",
        "",
        "-o",
        str(pot),
        "app",
    )


@click.group()
def translate() -> None:
    """Translation and localization commands."""


@translate.command()
def extract() -> None:
    """Extract every translatable string into translations/messages.pot."""
    extract_to(POT)


@translate.command()
def update() -> None:
    """Extract, then merge new strings into every locale's messages.po."""
    extract_to(POT)
    _pybabel(
        "update",
        "-i",
        str(POT),
        "-d",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )


@translate.command("compile")
def compile_() -> None:
    """Compile messages.po files into the .mo catalogs the app loads (never committed)."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@translate.command()
@click.argument("locale")
def init(locale: str) -> None:
    """Start a new locale."""
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale)
