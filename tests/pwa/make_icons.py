"""Draw the installed app's PNG icons from Heed's mark (app/static/favicon.svg: Lucide
"heart-pulse", ISC, on the brand teal) with the test suite's Chromium.

Run after changing the mark: `.venv/bin/python -m tests.pwa.make_icons`.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARK = ROOT / "app" / "static" / "favicon.svg"
OUT = ROOT / "app" / "static" / "app-icons"
# name: (size in px, share of the square the mark fills, rounded corners)
ICONS = {
    "heed-180.png": (180, 1.0, False),
    "heed-192.png": (192, 1.0, True),
    "heed-512.png": (512, 1.0, True),
    # Maskable: the platform crops to a shape; the mark stays within the 80 % safe zone.
    "heed-maskable-512.png": (512, 0.7, False),
}
TEAL = "#0e6b70"


def _page(size: int, share: float, rounded: bool) -> str:
    svg = MARK.read_text()
    if not rounded:
        svg = svg.replace('rx="7"', 'rx="0"')
    inner = int(size * share)
    return (
        "<!doctype html><html><body style='margin:0;background:transparent'>"
        f"<div style='width:{size}px;height:{size}px;display:grid;place-items:center;"
        f"background:{TEAL if share < 1 else 'transparent'}'>"
        f"<div style='width:{inner}px;height:{inner}px'>"
        + svg.replace("<svg ", f"<svg width='{inner}' height='{inner}' ")
        + "</div></div></body></html>"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.fixtures import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, (size, share, rounded) in ICONS.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(_page(size, share, rounded))
            page.screenshot(path=str(OUT / name), omit_background=True)
            page.close()
            print(f"wrote {(OUT / name).relative_to(ROOT)}")
        browser.close()


if __name__ == "__main__":
    main()
