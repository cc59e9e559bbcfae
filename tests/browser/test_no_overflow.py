"""Every page each role can reach, in every locale, at 360 px: nothing scrolls sideways
(defect 6); axe-core finds no violation of any impact in en, es and ar, nor in dark mode;
worded diary options never break inside a word (defect 9).

One browser context per role; the locale changes through the language switcher (which, signed
in, is the account's setting, so each sweep ends in the login's own language).
"""

from __future__ import annotations

import pytest

from app.demo import DEMO_PASSWORD
from tests.browser.catalogue import ANONYMOUS, ERROR_PAGE, LOGINS, pages, patient_path
from tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser

LOCALES = ("en", "es", "fr", "de", "pt", "ar")
AXE_LOCALES = frozenset({"en", "es", "ar"})


@pytest.fixture(scope="module")
def catalogue(live) -> dict[str, list[str]]:
    return pages(live.app)


def _context(browser, live, *, dark: bool = False):
    return browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        base_url=live.url,
        color_scheme="dark" if dark else "light",
    )


def _sign_in(page, email: str | None) -> None:
    """Through the login form's stable field names (the labels change with the locale)."""
    if email is None:
        return
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def _switch_locale(page, locale: str) -> None:
    if page.locator("html").get_attribute("lang") != locale:
        page.select_option("#locale-select", locale)  # submits itself (progressive enhancement)
        page.wait_for_function(f"document.documentElement.lang === {locale!r}")


def _axe(page, *, rules: list[str] | None = None, path: str = "") -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options: dict[str, object] = {"resultTypes": ["violations"]}  # faster: no pass details
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    results = Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def _overflow(page) -> int:
    return page.evaluate(f"document.documentElement.scrollWidth - {PHONE['width']}")


@pytest.mark.parametrize("role", [ANONYMOUS, *LOGINS])
def test_every_page_fits_a_phone_in_every_locale_and_axe_finds_nothing(
    browser, live, catalogue, role
):
    context = _context(browser, live)
    page = context.new_page()
    problems: list[str] = []
    try:
        _sign_in(page, LOGINS.get(role))
        page.goto(catalogue[role][0])
        own = page.locator("html").get_attribute("lang")
        for locale in sorted(LOCALES, key=lambda code: code == own):  # own language last
            _switch_locale(page, locale)
            for path in catalogue[role]:
                response = page.goto(path)
                assert response is not None
                if response.status >= 400 and path != ERROR_PAGE:
                    problems.append(f"{role} {locale} {path}: HTTP {response.status}")
                    continue
                if (overflow := _overflow(page)) > 0:
                    problems.append(f"{role} {locale} {path}: scrolls sideways by {overflow}px")
                if locale in AXE_LOCALES:
                    problems += [f"{role} {locale} {path}: {v}" for v in _axe(page, path=path)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["patient", "clinician"])
def test_dark_mode_keeps_the_contrast(browser, live, catalogue, role):
    context = _context(browser, live, dark=True)
    page = context.new_page()
    problems: list[str] = []
    try:
        _sign_in(page, LOGINS[role])
        for path in catalogue[role]:
            page.goto(path)
            problems += [f"{role} dark {path}: {v}" for v in _axe(page, rules=["color-contrast"])]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# Every word of a worded option (and where it sits), as [word, lines, fits its label].
WORDS = """() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const out = [];
  for (const span of document.querySelectorAll('.scale .word')) {
    const text = span.firstChild;
    const label = span.closest('label').getBoundingClientRect();
    for (const m of text.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(text, m.index);
      range.setEnd(text, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      const box = range.getBoundingClientRect();
      out.push([m[0], lines, box.left >= label.left - 0.5 && box.right <= label.right + 0.5]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("email", ["patient@example.org", "noah@example.org"])  # en, de
def test_worded_diary_options_never_break_inside_a_word(browser, live, email):
    context = _context(browser, live)
    page = context.new_page()
    try:
        _sign_in(page, email)
        for view in ("diary/entry", "diary/quick"):
            page.goto(f"{patient_path(live.app, email)}/{view}")
            words = page.evaluate(WORDS)
            assert len(words) >= 5, f"no worded options on {view}"
            broken = [word for word, lines, fits in words if lines > 1 or not fits]
            assert not broken, f"{email} {view}: broken inside a word: {broken}"
    finally:
        context.close()
