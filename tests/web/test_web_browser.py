"""Real-browser tests: Debian's Chromium, headless, driven by Playwright, against the real gateway.

The gateway runs as ``python -m bot.web`` in a subprocess, in front of the fake Rasa from
``fake_upstream.py`` that scripts a short referral conversation ending in a handoff.
Screenshots and the PDF go to tests/artifacts/ (not committed).
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
from fake_upstream import FakeUpstream, free_port
from processes import python_module, running

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
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
EXPECTED = re.compile(r"^Failed to load resource: the server responded with a status of (400|503)")


def _missing(reason: str) -> None:
    """Skip with a clear reason on a developer machine; fail in CI, where the tools must be."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def sync_api() -> Any:
    try:
        from playwright import sync_api
    except ImportError:
        _missing("the playwright Python package is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    if not AXE_JS.exists():
        _missing(f"axe-core not found at {AXE_JS} (npm ci --prefix tests/web)")
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
    port = free_port()
    env = {
        **os.environ,
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(port),
        "RASA_URLS": upstream_live.url,
        "ACTION_SERVER_URL": upstream_live.url,
        "ACTION_CHECK_TTL_SECONDS": "0",
        "REFERRAL_STORE": str(work / "referrals.db"),
        "TRACKER_DB_URL": f"sqlite:///{work / 'tracker.db'}",
        "OUTBOX_DIR": str(work / "outbox"),
        "ALLOWED_ORIGINS": council_site[0],
        "RATE_SENDER_BURST": "100",
        "RATE_IP_BURST": "500",
        "RATE_IP_PER_MIN": "1000",
        "PYTHONPATH": str(REPO),
    }
    base = f"http://127.0.0.1:{port}"
    CouncilPage.gateway = base
    log = work / "gateway.log"
    with running(python_module("bot.web"), env, f"{base}/health", log, 30):
        assert f"open http://localhost:{port}" in log.read_text()
        yield base


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


@pytest.fixture
def page(browser: Any, gateway: str) -> Iterator[Any]:
    """A fresh tab (fresh sessionStorage) that records CSP violations and script errors."""
    context, page = open_tab(browser, gateway)
    yield page
    context.close()
    assert page.problems == []  # no CSP violations or script errors


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


def test_chat_through_referral_to_pdf(page: Any, upstream_live: FakeUpstream) -> None:
    page.goto("/")
    shot(page, "page-1280")
    axe_check(page, "the demo page")
    page.set_viewport_size({"width": 320, "height": 640})
    no_horizontal_scroll(page)
    shot(page, "page-320")
    page.set_viewport_size({"width": 1280, "height": 800})

    chat_to_handoff(page)
    log = page.locator(".eysend-log")
    assert "You chose: I'm a parent or carer" in " ".join(log.inner_text().split())
    link = page.locator(".eysend-link").last
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel")
    shot(page, "widget-1280")
    axe_check(page, "the open widget")

    page.set_viewport_size({"width": 320, "height": 640})
    page.locator(".eysend-handoff").scroll_into_view_if_needed()
    shot(page, "widget-320")
    no_horizontal_scroll(page)
    axe_check(page, "the open widget at 320px")

    page.reload()  # the conversation survives a reload in the same tab
    page.get_by_role("link", name="Prepare my service request").wait_for()
    assert page.locator(".eysend-msg").count() >= 10
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="Prepare my service request").click()
    page.wait_for_url(re.compile(r"/referral/[A-Za-z0-9_-]{43}$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Prepare your service request"
    assert page.get_by_label("Parent or carer").is_checked()
    assert page.get_by_label("How old is the child?").input_value() == "2 years 6 months"
    assert page.get_by_role("group", name="Does the child go to").get_by_label("Yes").is_checked()
    assert page.get_by_label("Speech, language and communication").is_checked()
    shot(page, "form-1280", full_page=True)
    axe_check(page, "the referral form")
    page.set_viewport_size({"width": 320, "height": 640})
    no_horizontal_scroll(page)
    shot(page, "form-320", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Continue").click()  # "What have you noticed?" is empty
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    axe_check(page, "the referral form with errors")
    summary.get_by_role("link", name="Describe what you have noticed").click()
    assert page.evaluate("document.activeElement.id") == "worries"

    page.get_by_label("What have you noticed?").fill(
        "She uses very few words and gets upset when she is not understood."
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/summary$"))
    assert "She uses very few words" in page.inner_text("main")
    assert page.get_by_role("button", name="Print or save as PDF").is_visible()
    axe_check(page, "the summary")
    shot(page, "summary-1280", full_page=True)
    page.set_viewport_size({"width": 320, "height": 640})
    no_horizontal_scroll(page)
    shot(page, "summary-320", full_page=True)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "service-request-summary.pdf"
    page.pdf(path=str(pdf), format="A4")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000

    page.get_by_role("button", name="Delete my answers").click()
    page.get_by_role("heading", name="Your answers have been deleted").wait_for()


def tab_to(page: Any, text: str, key: str = "Tab", limit: int = 30) -> dict[str, str]:
    """Press Tab (or Shift+Tab) until the element showing `text` has focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(page)["text"] == text:
            break
    now = focused(page)
    assert now["text"] == text, now
    return now


def choose_by_keyboard(page: Any, title: str, wait_for: str) -> None:
    """From the message box, Shift+Tab back to a suggested reply and press it: focus comes back
    to the message box at once and stays there when the answer arrives."""
    reply(page, title).first.wait_for()
    tab_to(page, title, "Shift+Tab", 12)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "eysend-input"
    page.locator(".eysend-log").get_by_text(wait_for).last.wait_for()
    assert focused(page)["id"] == "eysend-input"


def test_keyboard_only(page: Any) -> None:
    """From the page to a finished check and the pre-filled form, with the keyboard alone."""
    page.goto("/")
    page.get_by_role("button", name=LAUNCHER).wait_for()
    now = tab_to(page, LAUNCHER)
    assert now["bg"] == FOCUS_YELLOW  # focus is visible

    page.keyboard.press("Enter")
    assert focused(page)["text"] == "Start chat"  # focus moves into the panel
    page.keyboard.press("Escape")
    assert focused(page)["text"] == LAUNCHER  # and back when it closes
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # Start chat
    assert focused(page)["id"] == "eysend-input"
    choose_by_keyboard(page, "I'm a parent or carer", "How old is your child?")
    page.keyboard.type("2 and a half")
    page.keyboard.press("Enter")
    choose_by_keyboard(page, "Yes", "What are you most worried about?")
    choose_by_keyboard(page, "Talking and understanding", "share information")
    choose_by_keyboard(page, "Yes", "right next step")
    now = tab_to(page, "Prepare my service request", "Shift+Tab", 12)
    assert now["bg"] == FOCUS_YELLOW
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/referral/[A-Za-z0-9_-]{43}$"))

    for _ in range(60):  # Tab through the form to the free-text question
        page.keyboard.press("Tab")
        if focused(page)["id"] == "worries":
            break
    assert focused(page)["id"] == "worries"
    page.keyboard.type("Few words; upset when not understood.")
    for _ in range(20):
        page.keyboard.press("Tab")
        if focused(page)["text"] == "Continue":
            break
    assert focused(page)["bg"] == FOCUS_YELLOW
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/summary$"))
    assert "Few words; upset when not understood." in page.inner_text("main")


def menu_item(page: Any, name: str) -> None:
    """Open the widget's menu and choose an item."""
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("menuitem", name=name).click()


def test_privacy_notice_and_start_again(page: Any) -> None:
    page.goto("/")
    page.get_by_role("button", name=LAUNCHER).click()
    notice = page.locator("#eysend-notice")
    assert notice.is_visible()
    text = notice.inner_text()
    assert "30 days" in text and "removed before anything is stored" in text
    assert (
        page.get_by_label("Your message").count() == 0
        or not page.get_by_label("Your message").is_visible()
    )
    page.get_by_role("button", name="Start chat").click()
    reply(page, "I'm a parent or carer").wait_for()
    assert not notice.is_visible()
    assert page.locator("details.eysend-privacy summary").is_visible()
    stored = page.evaluate("JSON.stringify(sessionStorage)")
    assert "I'm a parent or carer" in stored  # kept in this tab only

    menu_item(page, "Start again")
    assert notice.is_visible() and page.locator(".eysend-msg").count() == 0
    assert focused(page)["text"] == "Start chat"
    assert '"sender":null' in page.evaluate("JSON.stringify(sessionStorage)").replace("\\", "")


def test_delete_my_conversation(page: Any) -> None:
    page.goto("/")
    page.get_by_role("button", name=LAUNCHER).click()
    page.get_by_role("button", name="Start chat").click()
    reply(page, "I'm a parent or carer").wait_for()
    asked: list[str] = []

    def confirm(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", confirm)
    menu_item(page, "Delete my conversation")
    page.locator("#eysend-notice").wait_for(state="visible")  # shown again only on success
    assert asked and "cannot be undone" in asked[0]
    assert page.locator(".eysend-msg").count() == 0
    assert focused(page)["text"] == "Start chat"
    assert '"sender":null' in page.evaluate("JSON.stringify(sessionStorage)").replace("\\", "")
    page.locator(".eysend-live", has_text="has been deleted").wait_for(state="attached")


def test_bot_text_is_rendered_safely(page: Any, upstream_live: FakeUpstream) -> None:
    upstream_live.replies = [
        {
            "recipient_id": "x",
            "text": '<img src=x id="pwned"> <b>bold</b> see https://www.hertfordshire.gov.uk/x.',
            "buttons": [{"title": "<i>choice</i>", "payload": "/greet"}],
        }
    ]
    try:
        page.goto("/")
        page.get_by_role("button", name=LAUNCHER).click()
        page.get_by_role("button", name="Start chat").click()
        page.locator(".eysend-log").get_by_text("<b>bold</b>", exact=False).wait_for()
        assert page.locator("#pwned").count() == 0 and page.locator(".eysend-log b").count() == 0
        link = page.locator(".eysend-log .eysend-link")
        assert link.get_attribute("href") == "https://www.hertfordshire.gov.uk/x"
        assert page.locator(".eysend-reply").inner_text() == "<i>choice</i>"
        page.get_by_label("Your message").fill("<img src=y id=mine>")
        page.get_by_label("Your message").press("Enter")
        page.locator(".eysend-log").get_by_text("<img src=y id=mine>").wait_for()
        assert page.locator("#mine").count() == 0
    finally:
        upstream_live.replies = None


def test_assistant_down_message_in_widget(page: Any, upstream_live: FakeUpstream) -> None:
    page.goto("/")
    page.get_by_role("button", name=LAUNCHER).click()
    page.get_by_role("button", name="Start chat").click()
    reply(page, "I'm a parent or carer").wait_for()
    upstream_live.stop()
    try:
        page.get_by_label("Your message").fill("hello")
        page.get_by_label("Your message").press("Enter")
        error = page.locator(".eysend-msg--error")
        error.wait_for()
        assert "not available" in error.inner_text()
        axe_check(page, "the widget showing the unavailable message")
    finally:
        upstream_live.start()
    page.get_by_label("Your message").fill("hello again")
    page.get_by_label("Your message").press("Enter")
    page.locator(".eysend-log").get_by_text("How old is your child?").wait_for()


def test_reflows_at_200_percent_zoom(page: Any) -> None:
    """1280 x 800 at 200 % zoom is a 640 x 400 CSS-pixel viewport: everything still fits."""
    page.set_viewport_size({"width": 640, "height": 400})
    page.goto("/")
    page.get_by_role("button", name=LAUNCHER).click()
    page.get_by_role("button", name="Start chat").click()
    reply(page, "I'm a parent or carer").wait_for()
    no_horizontal_scroll(page)
    for control in ("Menu", "Close chat", "Send"):
        box = page.get_by_role("button", name=control).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 640, control
        assert box["y"] >= 0 and box["y"] + box["height"] <= 400, control
    assert page.get_by_label("Your message").is_visible()
    shot(page, "widget-640-zoom200")


def test_widget_embedded_on_an_allowed_council_origin(
    page: Any, council_site: tuple[str, str], gateway: str
) -> None:
    page.goto(council_site[0])
    page.get_by_role("button", name=LAUNCHER).click()
    page.get_by_role("button", name="Start chat").click()
    reply(page, "I'm a parent or carer").wait_for()  # CORS let the chat through
    href = page.evaluate("document.querySelector('link[data-eysend-css]').href")
    assert href == f"{gateway}/widget.css"
    axe_check(page, "the widget on a council page")


def test_widget_does_nothing_on_an_origin_not_allowed(
    page: Any, council_site: tuple[str, str]
) -> None:
    page.goto(council_site[1])
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("button", name=LAUNCHER).count() == 0
    assert any("CORS" in p or "Failed to fetch" in p for p in page.problems)
    page.problems.clear()  # the browser's CORS refusal is the expected outcome here
