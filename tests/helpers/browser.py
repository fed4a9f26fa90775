"""Real-browser tests' shared parts: Debian's Chromium, headless, driven by Playwright, against
the real gateway (``python -m bot.web``) in front of the fake Rasa, which scripts a short
referral conversation ending in a handoff; axe-core checks, screenshots and keyboard helpers.

The fixtures here (``sync_api``, ``browser``, ``upstream_live``, ``council_site``, ``gateway``)
are module-scoped; tests/web/conftest.py offers them to every web test file.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.operations.processes import free_port
from tests.helpers import ROOT
from tests.helpers.fake_upstream import FakeUpstream
from tests.helpers.live_gateway import live_gateway

WEB_TESTS = ROOT / "tests" / "web"  # its node_modules hold axe-core and lighthouse
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = WEB_TESTS / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAUNCHER = "Ask the Early Years SEND assistant"
FOCUS_YELLOW = "rgb(255, 221, 0)"
# What a gateway for a browser test is told besides its ports and files: check the action
# server on every request, and rate limits a quick browser never meets.
BROWSER_GATEWAY = {
    "ACTION_CHECK_TTL_SECONDS": "0",
    "RATE_SENDER_BURST": "100",
    "RATE_IP_BURST": "500",
    "RATE_IP_PER_MIN": "1000",
}
EXPECTED = re.compile(r"^Failed to load resource: the server responded with a status of (400|503)")


def missing(reason: str) -> None:
    """Skip with a clear reason on a developer machine; fail in CI, where the tools must be."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def sync_api() -> Any:
    try:
        from playwright import sync_api
    except ImportError:
        missing("the playwright Python package is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        missing(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    if not AXE_JS.exists():
        missing(f"axe-core not found at {AXE_JS} (npm ci --prefix tests/web)")
    return sync_api


@pytest.fixture(scope="module")
def upstream_live() -> Iterator[FakeUpstream]:
    fake = FakeUpstream().start()
    yield fake
    fake.close()


class CouncilPage(http.server.BaseHTTPRequestHandler):
    """A page on another origin that embeds the widget with one script tag."""

    gateway = ""

    def do_GET(self) -> None:  # noqa: N802
        body = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>A council page</title></head><body><main><h1>A council page</h1>"
            f'<p>Content.</p></main><script src="{self.gateway}/widget.js" defer></script>'
            "</body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def council_site() -> Iterator[tuple[str, CouncilPage]]:
    """Two other origins: one on the gateway's allow-list and one not."""
    servers = [
        http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), CouncilPage) for _ in "ab"
    ]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tuple(f"http://127.0.0.1:{s.server_address[1]}" for s in servers)
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="module")
def gateway(
    upstream_live: FakeUpstream,
    council_site: tuple[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The real gateway process, started as `make run` would start it."""
    work = tmp_path_factory.mktemp("gateway")
    with live_gateway(work, upstream_live.url, ALLOWED_ORIGINS=council_site[0],
                      **BROWSER_GATEWAY) as live:
        CouncilPage.gateway = live.url
        assert f"open http://localhost:{live.port}" in live.log.read_text()
        yield live.url


@pytest.fixture(scope="module")
def browser(sync_api: Any) -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_tab(browser: Any, base: str, js: bool = True) -> tuple[Any, Any]:
    """A fresh context and tab that record CSP violations and script errors in .problems."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, base_url=base, java_script_enabled=js
    )
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda m: (
            m.type == "error" and not EXPECTED.search(m.text) and page.problems.append(m.text)
        ),
    )
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.set_default_timeout(10_000)
    return context, page


WCAG22_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_check(page: Any, what: str, tags: list[str] | None = None) -> dict[str, Any]:
    """Run axe-core on the page (every rule, or only those with `tags`) and assert there are no
    violations. Returns the counts of rules passed and violated."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        "async (tags) => { const opts = {resultTypes: ['violations']};"
        " if (tags) { opts.runOnly = {type: 'tag', values: tags}; }"
        " const r = await axe.run(document, opts);"
        " return {passes: r.passes.length, violations: r.violations.map(v => ({id: v.id,"
        " impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))}; }",
        tags,
    )
    violations = result["violations"]
    assert violations == [], f"axe violations on {what}: {json.dumps(violations, indent=1)}"
    assert result["passes"] > 10  # axe really ran its rules
    return {"rules_passed": result["passes"], "violations": len(violations)}


def shot(page: Any, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"content is {scroll}px wide in a {width}px viewport"


def focused(page: Any) -> dict[str, str]:
    return page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return {tag: e.tagName, text: (e.innerText || e.value || '').trim(), id: e.id,"
        " cls: e.className, bg: s.backgroundColor, outline: s.outlineColor}; }"
    )


def reply(page: Any, title: str) -> Any:
    return page.locator(".eysend-reply", has_text=re.compile(f"^{re.escape(title)}$"))


def chat_to_handoff(page: Any) -> None:
    """The scripted conversation, using buttons and typing."""
    page.get_by_role("button", name=LAUNCHER).click()
    page.get_by_role("button", name="Start chat").click()
    reply(page, "I'm a parent or carer").click()
    page.locator(".eysend-log").get_by_text("How old is your child?").wait_for()
    page.get_by_label("Your message").fill("2 and a half")
    page.get_by_label("Your message").press("Enter")
    reply(page, "Yes").click()
    reply(page, "Talking and understanding").click()
    reply(page, "Yes").click()
    page.get_by_role("link", name="Prepare my service request").wait_for()


def menu_item(page: Any, name: str) -> None:
    """Open the widget's menu and choose an item."""
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("menuitem", name=name).click()
