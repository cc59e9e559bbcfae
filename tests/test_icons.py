"""The icon sprite: Lucide SVGs (ISC, app/static/icons/LICENSE) the templates use, and no others.

app/static/icons/<name>.svg are copied unchanged from the lucide-static npm package;
sprite.svg is built from them. After adding or removing an icon, rebuild it with
`.venv/bin/python -m tests.test_icons`.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "app" / "static" / "icons"
SPRITE = ICONS / "sprite.svg"
USE = re.compile(r"""icon\(\s*['"]([a-z0-9-]+)['"]""")


def build_sprite() -> str:
    """One <symbol> per icon file, its shapes in a <g> carrying Lucide's stroke attributes."""
    symbols = []
    for path in sorted(ICONS.glob("*.svg")):
        if path == SPRITE:
            continue
        body = re.sub(r"<!--.*?-->", "", path.read_text(), flags=re.S)
        shapes = re.search(r"<svg[^>]*>(.*)</svg>", body, flags=re.S)
        assert shapes, f"{path.name} is not an SVG"
        inner = " ".join(line.strip() for line in shapes.group(1).strip().splitlines())
        symbols.append(
            f'<symbol id="{path.stem}" viewBox="0 0 24 24"><g fill="none" stroke="currentColor"'
            f' stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{inner}</g></symbol>'
        )
    return (
        "<!-- Lucide icons (ISC licence, see LICENSE), built by tests/test_icons.py -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg">\n' + "\n".join(symbols) + "\n</svg>\n"
    )


def used_icons() -> set[str]:
    names: set[str] = set()
    for template in (ROOT / "app").rglob("*.html"):
        names.update(USE.findall(template.read_text()))
    return names


def test_sprite_is_built_from_the_icon_files() -> None:
    assert SPRITE.read_text() == build_sprite(), "run `.venv/bin/python -m tests.test_icons`"


def test_every_icon_a_template_uses_is_shipped_and_every_shipped_icon_is_used() -> None:
    shipped = {p.stem for p in ICONS.glob("*.svg") if p != SPRITE}
    assert used_icons() <= shipped, f"missing: {used_icons() - shipped}"
    assert shipped <= used_icons(), f"unused (delete them): {shipped - used_icons()}"
    assert "ISC License" in (ICONS / "LICENSE").read_text()


if __name__ == "__main__":
    SPRITE.write_text(build_sprite())
    print(f"wrote {SPRITE.relative_to(ROOT)}")
