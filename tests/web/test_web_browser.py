"""Real-browser tests: Debian's Chromium, headless, driven by Playwright, against the real gateway.

The gateway runs as ``python -m bot.web`` in a subprocess, in front of the fake Rasa from
``tests/helpers/fake_upstream.py`` that scripts a short referral conversation ending in a
handoff (``tests/helpers/browser.py``).
Screenshots and the PDF go to tests/artifacts/ (not committed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers.browser import (
    ARTIFACTS,
    FOCUS_YELLOW,
    LAUNCHER,
    axe_check,
    chat_to_handoff,
    focused,
    menu_item,
    no_horizontal_scroll,
    open_tab,
    reply,
    shot,
)
from tests.helpers.fake_upstream import FakeUpstream


@pytest.fixture
def page(browser: Any, gateway: str) -> Iterator[Any]:
    """A fresh tab (fresh sessionStorage) that records CSP violations and script errors."""
    context, page = open_tab(browser, gateway)
    yield page
    context.close()
    assert page.problems == []  # no CSP violations or script errors


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
