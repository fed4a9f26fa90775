"""The guide and statements in a real browser: JS off, axe-core, keyboard, 320 px; widget feedback.

Starts the real gateway (``python -m bot.web``) in front of the fake Rasa, with its feedback
store in a temporary folder, and checks that feedback given in the widget shows in the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.operations.report.__main__ import make_report
from tests.helpers.browser import (
    BROWSER_GATEWAY,
    FOCUS_YELLOW,
    LAUNCHER,
    axe_check,
    focused,
    no_horizontal_scroll,
    open_tab,
    shot,
)
from tests.helpers.fake_upstream import FakeUpstream
from tests.helpers.guide_pages import STATEMENT_PAGES, TOPIC_PAGES
from tests.helpers.live_gateway import live_gateway

PAGES = [
    *TOPIC_PAGES,
    "/guide/find-your-dspl?place=Hitchin",
    "/guide/find-your-dspl?place=",
    "/guide/support-groups?area=2&need=autism",
    "/guide/can-i-refer",
    "/guide/can-i-refer/concern_areas?role=parent&age=30&setting=yes",
    "/guide/can-i-refer/check?role=parent&age=30&setting=yes&areas=communication&tried=yes"
    "&consent=yes",
    "/guide/can-i-refer/result?role=parent&age=30&setting=yes&areas=communication&tried=yes"
    "&consent=yes",
    *STATEMENT_PAGES,
]


@pytest.fixture(scope="module")
def service_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Any]]:
    """The gateway process with its files under a temporary folder."""
    work = tmp_path_factory.mktemp("service-gateway")
    upstream = FakeUpstream().start()
    try:
        with live_gateway(work, upstream.url, "/guide", **BROWSER_GATEWAY) as gateway:
            yield gateway.url, work, upstream
    finally:
        upstream.close()


@pytest.fixture
def page(browser: Any, service_gateway: tuple[str, Path, Any]) -> Iterator[Any]:
    context, page = open_tab(browser, service_gateway[0], True)
    yield page
    context.close()
    assert page.problems == []


@pytest.fixture
def no_js_page(browser: Any, service_gateway: tuple[str, Path, Any]) -> Iterator[Any]:
    context, page = open_tab(browser, service_gateway[0], False)
    yield page
    context.close()


def test_with_javascript_off_a_parent_finds_their_dspl_and_the_steps_to_refer(no_js_page: Any):
    page = no_js_page
    page.goto("/guide")
    assert page.evaluate("1") == 1 or True  # evaluate is allowed; page scripts are not
    page.get_by_role("link", name="Find your DSPL area").click()
    page.get_by_label("Town, village or postcode").fill("Hitchin")
    page.get_by_label("Town, village or postcode").press("Enter")
    page.get_by_role("heading", name="Hitchin is in DSPL 1").wait_for()
    page.get_by_role("link", name="Support groups in DSPL 1").click()
    assert "Angels Support Group" in page.inner_text("main")

    page.goto("/guide")
    page.get_by_role("link", name="Can I refer?").click()
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Parent or carer").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("How old is the child?").fill("2 and a half")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Or describe it in your own words").fill("she hardly talks")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers").wait_for()
    assert "Language and communication" in page.inner_text("main")
    page.get_by_role("button", name="See what your answers suggest").click()
    assert "guidance only" in page.inner_text("main")
    page.get_by_role("button", name="Prepare my summary").click()
    page.wait_for_url(re.compile(r"/referral/[A-Za-z0-9_-]{43}$"))
    page.get_by_label("What have you noticed?").fill("Very few words for her age.")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/summary$"))
    assert "Very few words for her age." in page.inner_text("main")
    shot(page, "guide-nojs-summary-1280", full_page=True)


@pytest.mark.parametrize("path", PAGES)
def test_guide_and_statement_pages_pass_axe_and_reflow(page: Any, path: str):
    page.goto(path)
    assert page.locator("header .site-header__help").inner_text() == "Contact a person"
    axe_check(page, path)
    page.set_viewport_size({"width": 320, "height": 640})
    no_horizontal_scroll(page)
    axe_check(page, f"{path} at 320px")
    if path in ("/guide", "/contact", "/guide/find-your-dspl?place=Hitchin"):
        name = path.strip("/").split("?")[0].replace("/", "-")
        shot(page, f"{name}-320", full_page=True)


def test_guide_by_keyboard_only(page: Any):
    page.goto("/guide/find-your-dspl")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    for _ in range(5):
        page.keyboard.press("Tab")
        if focused(page)["text"] == "Contact a person":
            break
    now = focused(page)
    assert now["text"] == "Contact a person" and now["bg"] == FOCUS_YELLOW
    for _ in range(20):
        page.keyboard.press("Tab")
        if focused(page)["id"] == "place":
            break
    assert focused(page)["id"] == "place"
    page.keyboard.type("Stevenage")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("Stevenage is")).wait_for()
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused(page)["text"].startswith("No"):
            break
    assert focused(page)["tag"] == "BUTTON" and focused(page)["bg"] == FOCUS_YELLOW
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Thank you for your feedback").wait_for()
    axe_check(page, "the feedback comment form")
    page.get_by_label("What was missing or wrong? (optional)").fill("Nothing on waiting times")
    page.get_by_role("button", name="Send comment").click()
    page.get_by_role("link", name="Go back to the page").wait_for()


def test_widget_help_link_feedback_and_the_report(
    page: Any, service_gateway: tuple[str, Path, Any]
):
    _, work, upstream = service_gateway
    page.goto("/")
    page.get_by_role("button", name=LAUNCHER).click()
    notice = page.locator("#eysend-notice").inner_text()
    assert "automated assistant" in notice and "not for emergencies" in notice
    assert "decisions on requests are made by the service" in notice
    panel = page.locator("#eysend-panel")
    help_link = panel.get_by_role("link", name="Contact a person")
    assert help_link.get_attribute("href").endswith("/contact")
    for name in ("Privacy notice", "Accessibility statement", "About this assistant"):
        assert panel.get_by_role("link", name=name).count() >= 1
    page.get_by_role("button", name="Start chat").click()
    page.locator(".eysend-reply").first.wait_for()
    assert page.locator(".eysend-feedback").count() == 0  # a question is not rated
    upstream.replies = [{"recipient_id": "x", "text": "The team works with children from birth."}]
    try:
        page.get_by_label("Your message").fill("who is the team for")
        page.get_by_label("Your message").press("Enter")
        page.get_by_role("group", name="Was this answer helpful?").wait_for()
        axe_check(page, "the widget asking for feedback")
        page.get_by_role("button", name="No", exact=True).click()
        page.wait_for_function("() => document.activeElement.id === 'eysend-fb-comment'")
        page.keyboard.type("It did not say how long the wait is. Call me on 07700 900123")
        page.get_by_role("button", name="Send comment").click()
        page.locator(".eysend-log").get_by_text("Thank you. Your comment has been sent.").wait_for()
        axe_check(page, "the widget after feedback")
        page.set_viewport_size({"width": 320, "height": 640})
        no_horizontal_scroll(page)
        shot(page, "widget-feedback-320")
    finally:
        upstream.replies = None
    report = make_report(work / "tracker.db", work / "insight.db")
    assert report.feedback.by_kind["answer"] == (0, 1)  # the guide's page feedback is apart
    [(_, kind, helpful, comment)] = [c for c in report.feedback.comments if c[1] == "answer"]
    assert not helpful and comment == "It did not say how long the wait is. Call me on [phone]"
