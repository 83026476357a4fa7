"""Browser tests: Playwright (Python) driving Debian's ``/usr/bin/chromium`` — never a
downloaded browser — against pytest-django's ``live_server``. Skipped, with the reason, when
that chromium or Playwright is missing. ``.ci/run`` installs chromium and fonts-noto-cjk.

Every page a test opens is checked for console errors (a Content-Security-Policy violation is
one) and, with :func:`check_a11y`, by the vendored axe-core (tests/web/vendor/axe-core, not
served by the application): no serious or critical violation.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(
    os.environ.get("GONGKAI_SCREENSHOTS") or Path(__file__).resolve().parent / "screenshots"
)

# Playwright's sync API runs an event loop in this thread; Django then refuses database access
# from it (SynchronousOnlyOperation) unless told that this is deliberate. The live server runs
# the application in its own thread, so the application itself is unaffected.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "browser tests need playwright (in requirements.lock)"
    return None


MISSING = _missing()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A hook of this conftest sees every item of the session: skip only the ones in here.
    if MISSING:
        for item in items:
            if item.path.is_relative_to(HERE):
                item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []  # console errors (a CSP violation is one), uncaught exceptions
    pg.on(
        "console",
        lambda m: (
            errors.append(f"{m.text} ({m.location.get('url', '')})")
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    pg.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    # Offline: every request goes to the application itself (no CDN, no font, no badge).
    pg.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((live_server.url, "data:", "blob:"))
            else errors.append(f"request to the outside: {r.url}")
        ),
    )
    yield pg
    context.close()
    assert not errors, f"console errors on the pages: {errors}"


def check_a11y(page: Any, *, exclude: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the page; fail on serious or critical violations. Returns them all."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as a <script> tag: the page's CSP
        # (script-src 'self') stays on and would refuse an inline script.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (exclude) => {
            const r = await axe.run({exclude: exclude.map(s => [s])},
                                    {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""",
        exclude or [],
    )
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe-core on {page.url}: {bad}"
    return list(result)


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def login(page: Any, username: str, password: str = "gongkai-demo") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/cases/")
