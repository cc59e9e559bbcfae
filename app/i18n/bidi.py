"""Isolate text people typed (names, notes, comments, tags, labels) from the page around it.

A name written right to left, or one holding a U+202E RIGHT-TO-LEFT OVERRIDE, must not reorder
the words around it: page text goes in ``<bdi>`` (filter ``bdi``); where no markup can go (a
``<title>``, an attribute) the text is wrapped in U+2068 FIRST STRONG ISOLATE ... U+2069 POP
DIRECTIONAL ISOLATE (filter ``isolate``), which browsers treat the same way. Blocks of free text
carry ``dir="auto"`` in the templates.
"""

from __future__ import annotations

from markupsafe import Markup

FSI, PDI = "\u2068", "\u2069"


def bdi(value: object) -> Markup:
    """``<bdi>value</bdi>``, the value escaped; nothing for an empty value."""
    if value is None or value == "":
        return Markup("")
    return Markup("<bdi>%s</bdi>") % (value,)


def isolate(value: object) -> str:
    """The value between FSI and PDI (escaped later by the template like any text)."""
    if value is None or value == "":
        return ""
    return f"{FSI}{value}{PDI}"
