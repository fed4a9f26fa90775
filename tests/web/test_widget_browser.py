"""The widget as a parent meets it, in Debian's Chromium: room to read on a phone, a menu that
works by keyboard and screen reader, a transcript a screen reader can follow (Bot Framework Web
Chat's docs/ACCESSIBILITY.md), the person's preferences, and "Save this conversation".

Screenshots go to tests/artifacts/ (not committed), with widget-figures.json: the header's
height and the transcript's share of the widget at each size, and axe-core's result per state.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import browser as ui
from tests.helpers.fake_upstream import FakeUpstream

SIZES = {"320": (320, 640), "375": (375, 667), "1280": (1280, 800)}
FIGURES: dict[str, Any] = {"layout": {}, "axe": {}}
RECORD = """
window.__said = [];
window.__scrolls = [];
const scrollTo = Element.prototype.scrollTo;
Element.prototype.scrollTo = function (how) {
  window.__scrolls.push((how && how.behavior) || "auto");
  return scrollTo.apply(this, arguments);
};
new MutationObserver((changes) => {
  for (const change of changes) {
    for (const node of change.addedNodes) {
      const parent = node.parentElement;
      if (parent && parent.classList.contains("eysend-live")) {
        window.__said.push(node.textContent);
      }
    }
  }
}).observe(document, { childList: true, subtree: true });
"""
SITE = "https://www.hertfordshire.gov.uk/services/schools-and-education/send.aspx"
OUTCOME = {
    "text": "**A service request looks like the right next step.**\n\n"
    "Next, ask your child's setting to help you fill in the service request form.\n\n"
    f"Read more: {SITE}.",
    "buttons": [{"title": "Why?", "payload": "/why"}],
}
LISTS = [
    {"text": "Here are groups near you:\n- Angels Support Group\n- Another group\n"
     "• A third group"},
    {
        "text": "What to do next:\n1. Talk to your child's setting\n2. Fill in the form\n\n"
        f"See [the Local Offer]({SITE}) or the [guide](/guide).",
        "buttons": [
            {"title": "Show more", "payload": "/show_more"},
            {"title": "Tell me more", "payload": "/tell_me_more"},
        ],
    },
]


@pytest.fixture
def tab(browser: Any, gateway: str) -> Iterator[Any]:
    """A fresh tab that records what the live region announces and how the widget scrolls."""
    context, page = ui.open_tab(browser, gateway)
    page.add_init_script(RECORD)
    yield page
    context.close()
    assert page.problems == []  # no CSP violations or script errors


@pytest.fixture
def scripted(upstream_live: FakeUpstream) -> Iterator[FakeUpstream]:
    """The fake assistant, back to its script after the test."""
    yield upstream_live
    upstream_live.replies = None
    upstream_live.delay = 0.0


def axe_state(page: Any, state: str) -> None:
    """axe-core with 0 violations: the WCAG 2.2 A and AA rules, then every rule (best practice
    too); the counts are kept for the figures."""
    FIGURES["axe"][state] = ui.axe_check(page, state, ui.WCAG22_TAGS)
    ui.axe_check(page, state)
    write_figures()


def write_figures() -> None:
    ui.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ui.ARTIFACTS / "widget-figures.json").write_text(json.dumps(FIGURES, indent=1))


def start(page: Any) -> None:
    page.goto("/")
    page.get_by_role("button", name=ui.LAUNCHER).click()
    page.get_by_role("button", name="Start chat").click()
    ui.reply(page, "I'm a parent or carer").wait_for()


def said(page: Any) -> list[str]:
    return page.evaluate("window.__said")


def type_message(page: Any, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def box(page: Any, selector: str) -> dict[str, float]:
    return page.locator(selector).bounding_box()


@pytest.mark.parametrize("size", ["320", "375", "1280"])
def test_header_is_compact_and_the_transcript_has_room(tab: Any, size: str) -> None:
    """The header is two short rows; at phone sizes the transcript gets >= 60 % of the widget."""
    width, height = SIZES[size]
    tab.set_viewport_size({"width": width, "height": height})
    tab.goto("/")
    tab.get_by_role("button", name=ui.LAUNCHER).click()
    help_before = box(tab, ".eysend-help")
    ui.shot(tab, f"widget-notice-{size}")
    tab.get_by_role("button", name="Start chat").click()
    ui.reply(tab, "I'm a parent or carer").wait_for()
    assert box(tab, ".eysend-help") == help_before  # "Contact a person" stays in the same place
    ui.shot(tab, f"widget-greeting-{size}")
    panel, header, body = (box(tab, s) for s in (".eysend-panel", ".eysend-header", ".eysend-body"))
    share = body["height"] / panel["height"]
    FIGURES["layout"][f"{width}x{height}"] = {
        "header_px": round(header["height"]),
        "header_share_of_screen": round(header["height"] / height, 3),
        "transcript_share_of_widget": round(share, 3),
    }
    write_figures()
    assert header["height"] <= 100
    for name in ("Close chat", "Menu"):
        control = tab.get_by_role("button", name=name).bounding_box()
        assert control["y"] + control["height"] <= header["y"] + header["height"] + 0.5, name
    if size != "1280":
        assert share >= 0.60, f"the transcript has {share:.0%} of the widget at {size}px"
    ui.no_horizontal_scroll(tab)
    chat_steps(tab)
    tab.wait_for_timeout(700)  # the last reply has scrolled into view
    ui.shot(tab, f"widget-outcome-{size}")


def chat_steps(page: Any) -> None:
    """The rest of the scripted check, from an open chat to its outcome."""
    ui.reply(page, "I'm a parent or carer").click()
    page.locator(".eysend-log").get_by_text("How old is your child?").wait_for()
    type_message(page, "2 and a half")
    steps = (("Yes", "worried"), ("Talking and understanding", "share"), ("Yes", "next"))
    for title, then in steps:
        ui.reply(page, title).first.click()
        page.locator(".eysend-log").get_by_text(re.compile(then)).last.wait_for()
    page.get_by_role("link", name="Prepare my service request").wait_for()


@pytest.mark.parametrize("width", [320, 375, 768, 1280])
def test_nothing_on_the_page_is_left_under_the_launcher(tab: Any, width: int) -> None:
    """Scrolled to the end, no text of the page (the footer's "not professional advice" line
    included) is under the launcher, at any width."""
    tab.set_viewport_size({"width": width, "height": 700})
    tab.goto("/")
    tab.get_by_role("button", name=ui.LAUNCHER).wait_for()
    tab.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    covered = tab.evaluate(
        """() => { const l = document.querySelector('.eysend-launcher').getBoundingClientRect();
        const hits = [];
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) { const n = walk.currentNode;
          if (!n.textContent.trim() || n.parentElement.closest('.eysend')) continue;
          const r = document.createRange(); r.selectNodeContents(n);
          for (const b of r.getClientRects()) {
            if (b.right > l.left && b.left < l.right && b.bottom > l.top && b.top < l.bottom)
              hits.push(n.textContent.trim().slice(0, 60)); } }
        return hits; }"""
    )
    assert covered == []
    assert "not professional advice" in tab.locator("footer").inner_text()


def test_menu_button_works_by_keyboard(tab: Any) -> None:
    """WAI-ARIA menu button: aria-expanded, arrows, Home/End, Escape back to the button, Tab out."""
    start(tab)
    button = tab.get_by_role("button", name="Menu")
    assert button.get_attribute("aria-haspopup") == "true"
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    tab.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    items = tab.get_by_role("menu").get_by_role("menuitem")
    assert items.all_inner_texts() == [
        "Save this conversation",
        "Start again",
        "Delete my conversation",
    ]
    assert ui.focused(tab)["text"] == "Save this conversation"
    assert ui.focused(tab)["bg"] == ui.FOCUS_YELLOW
    ui.shot(tab, "widget-menu-1280")
    axe_state(tab, "menu open")
    tab.keyboard.press("ArrowDown")
    assert ui.focused(tab)["text"] == "Start again"
    tab.keyboard.press("End")
    assert ui.focused(tab)["text"] == "Delete my conversation"
    tab.keyboard.press("ArrowDown")  # wraps round
    assert ui.focused(tab)["text"] == "Save this conversation"
    tab.keyboard.press("ArrowUp")
    assert ui.focused(tab)["text"] == "Delete my conversation"
    tab.keyboard.press("Home")
    assert ui.focused(tab)["text"] == "Save this conversation"
    tab.keyboard.press("Escape")  # closes the menu only, and focus goes back to its button
    assert button.get_attribute("aria-expanded") == "false"
    assert ui.focused(tab)["text"] == "Menu"
    assert tab.locator("#eysend-panel").is_visible()
    tab.keyboard.press("ArrowUp")  # opens on the last item
    assert ui.focused(tab)["text"] == "Delete my conversation"
    tab.keyboard.press("Tab")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    tab.locator(".eysend-log").click()  # a click elsewhere closes it
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")  # Start again
    assert tab.locator("#eysend-notice").is_visible()
    assert ui.focused(tab)["text"] == "Start chat"


def test_the_transcript_is_a_labelled_log_and_each_reply_is_announced_once(
    tab: Any, scripted: FakeUpstream
) -> None:
    start(tab)
    log = tab.locator(".eysend-transcript")
    assert log.get_attribute("role") == "log"
    assert log.get_attribute("aria-label") == "Conversation with the assistant"
    assert tab.get_by_role("log", name="Conversation with the assistant").count() == 1
    live = tab.locator(".eysend-live")
    assert live.get_attribute("aria-live") == "polite"
    first = said(tab)
    assert len(first) == 1 and first[0].startswith("Assistant said: Hello")
    assert first[0].endswith("3 suggested replies.")
    scripted.replies = LISTS
    type_message(tab, "support groups")
    tab.locator(".eysend-log").get_by_text("Fill in the form").wait_for()
    tab.wait_for_function("() => window.__said.length === 2")
    news = said(tab)[1]
    assert "Hello" not in news  # the history is not read again
    assert "Angels Support Group" in news and "Fill in the form" in news  # both replies, once
    tab.wait_for_timeout(1300)
    assert live.inner_text() == ""  # gone from the live region: nothing to browse into twice
    assert tab.locator(".eysend-msg--bot").count() == 4  # several replies, each its own message


def test_a_quick_reply_is_heard_kept_and_focus_returns_to_the_message_box(
    tab: Any, scripted: FakeUpstream
) -> None:
    start(tab)
    scripted.delay = 0.6
    ui.reply(tab, "I'm a parent or carer").click()
    assert ui.focused(tab)["id"] == "eysend-input"  # at once, with the press
    assert said(tab)[-1] == "You chose: I'm a parent or carer"
    own = tab.locator(".eysend-msg--user").last
    assert " ".join(own.inner_text().split()) == "You chose: I'm a parent or carer"
    assert own.locator(".eysend-bubble").is_visible()
    assert tab.locator(".eysend-reply").count() == 0  # the answered question's buttons go
    tab.locator(".eysend-log").get_by_text("How old is your child?").wait_for()
    assert ui.focused(tab)["id"] == "eysend-input"  # and it stays there when the answer comes

    # Someone reading: focus elsewhere in the widget is never moved by a reply that arrives.
    scripted.replies = [OUTCOME]
    type_message(tab, "2")
    tab.locator(".eysend-privacy__summary").focus()
    ui.reply(tab, "Why?").wait_for()
    tab.wait_for_timeout(200)
    assert ui.focused(tab)["cls"] == "eysend-privacy__summary"
    scripted.replies = LISTS
    ui.reply(tab, "Why?").press("Enter")
    assert ui.focused(tab)["id"] == "eysend-input"
    tab.locator(".eysend-log").get_by_text("Fill in the form").wait_for()
    assert ui.focused(tab)["id"] == "eysend-input"


def test_markdown_and_links_are_shown_as_html_and_never_read_as_symbols(
    tab: Any, scripted: FakeUpstream
) -> None:
    start(tab)
    scripted.replies = LISTS + [OUTCOME]
    type_message(tab, "what next")
    ui.reply(tab, "Why?").wait_for()
    msgs = tab.locator(".eysend-msg--bot")
    lists = msgs.nth(2)
    assert lists.locator("ul > li").all_inner_texts() == [
        "Angels Support Group",
        "Another group",
        "A third group",
    ]
    steps = msgs.nth(3)
    assert steps.locator("ol > li").all_inner_texts() == [
        "Talk to your child's setting",
        "Fill in the form",
    ]
    local_offer = steps.get_by_role("link", name="the Local Offer")
    assert local_offer.get_attribute("href") == SITE
    assert local_offer.get_attribute("target") == "_blank"
    assert steps.get_by_role("link", name="guide").get_attribute("href").endswith("/guide")
    outcome = msgs.nth(4)
    assert outcome.locator("strong").inner_text().startswith("A service request looks")
    bare = outcome.locator("a.eysend-link")
    assert bare.get_attribute("href") == SITE  # the closing full stop is not part of it
    assert bare.inner_text().startswith("www.hertfordshire.gov.uk/services")
    assert [b.inner_text() for b in outcome.locator(".eysend-reply").all()] == ["Why?"]
    shown = " ".join(tab.locator(".eysend-log").inner_text().split())
    heard = " ".join(said(tab))
    for symbol in ("**", "](", "- A", "• ", "1. Talk", "https://", "\\n"):
        assert symbol not in shown, symbol
        assert symbol not in heard, symbol
    axe_state(tab, "outcome with markdown and Why?")


def test_reduced_motion_means_no_animation_and_no_smooth_scrolling(
    tab: Any, scripted: FakeUpstream
) -> None:
    def typing_animation() -> str:
        return tab.evaluate(
            "getComputedStyle(document.querySelector('.eysend-dots'), '::after').animationName"
        )

    tab.set_viewport_size({"width": 375, "height": 667})
    start(tab)
    assert typing_animation() == "eysend-dots"  # animated when the person has not asked
    scripted.replies = LISTS + LISTS
    type_message(tab, "groups")
    tab.wait_for_function("() => window.__scrolls.length > 0")
    assert "smooth" in tab.evaluate("window.__scrolls")
    tab.emulate_media(reduced_motion="reduce")
    assert typing_animation() == "none"
    tab.evaluate("window.__scrolls = []")
    tab.locator(".eysend-body").evaluate("b => { b.scrollTop = b.scrollHeight; }")
    type_message(tab, "more groups")
    tab.wait_for_function("() => window.__scrolls.length > 0")
    assert set(tab.evaluate("window.__scrolls")) == {"auto"}


def test_text_zoom_200_percent_loses_nothing(tab: Any, scripted: FakeUpstream) -> None:
    """Text at 200 % (the root font doubled) at 1280 x 800: every control in the widget is
    whole and inside it, nothing scrolls sideways, the message box is there."""
    tab.goto("/")
    tab.evaluate("document.documentElement.style.fontSize = '200%'")
    tab.get_by_role("button", name=ui.LAUNCHER).click()
    tab.get_by_role("button", name="Start chat").click()
    ui.reply(tab, "I'm a parent or carer").wait_for()
    scripted.replies = [OUTCOME]
    type_message(tab, "done")
    ui.reply(tab, "Why?").wait_for()
    panel = box(tab, ".eysend-panel")
    for control in tab.locator(".eysend-panel button:visible, .eysend-panel a:visible").all():
        control.scroll_into_view_if_needed()
        b = control.bounding_box()
        assert b["x"] >= panel["x"] - 0.5
        assert b["x"] + b["width"] <= panel["x"] + panel["width"] + 0.5
    clipped = tab.evaluate(
        "[...document.querySelectorAll('.eysend-panel *:not(.eysend-vh)')]"
        ".filter(e => e.offsetParent"
        " && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')"
        ".map(e => e.className)"
    )
    assert clipped == []
    assert tab.get_by_label("Your message").is_visible()
    ui.no_horizontal_scroll(tab)
    ui.shot(tab, "widget-1280-text200")


def test_page_zoom_400_percent_reflows_to_320_css_pixels(tab: Any, scripted: FakeUpstream) -> None:
    """1280 x 800 at 400 % is 320 x 200 CSS pixels: header, conversation and message box scroll
    as one, nothing scrolls sideways, and a whole turn can be had."""
    tab.set_viewport_size({"width": 320, "height": 200})
    tab.goto("/")
    ui.no_horizontal_scroll(tab)
    tab.get_by_role("button", name=ui.LAUNCHER).click()
    tab.get_by_role("button", name="Start chat").click()
    ui.reply(tab, "I'm a parent or carer").wait_for()
    ui.no_horizontal_scroll(tab)
    scripted.replies = [OUTCOME]
    tab.get_by_label("Your message").scroll_into_view_if_needed()
    type_message(tab, "done")
    ui.reply(tab, "Why?").wait_for()
    for control in ("Close chat", "Menu", "Why?", "Send"):
        target = tab.get_by_role("button", name=control)
        target.scroll_into_view_if_needed()
        b = target.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 320, control
        assert b["y"] >= -1 and b["y"] + b["height"] <= 201, control
    assert tab.locator(".eysend-panel").evaluate("p => p.scrollWidth <= p.clientWidth")
    ui.shot(tab, "widget-320x200-zoom400")


def test_forced_colors_keep_controls_readable_and_focus_visible(tab: Any) -> None:
    tab.emulate_media(forced_colors="active")
    start(tab)
    style = (
        "e => { const s = getComputedStyle(e); return {border: s.borderTopStyle,"
        " width: parseFloat(s.borderTopWidth), outline: s.outlineStyle,"
        " outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor}; }"
    )
    for selector in (".eysend-reply", ".eysend-close", ".eysend-menu__button", ".eysend-input"):
        seen = tab.locator(selector).first.evaluate(style)
        assert seen["border"] == "solid" and seen["width"] >= 1, (selector, seen)
    targets = [".eysend-reply", ".eysend-close", ".eysend-menu__button", ".eysend-input",
               ".eysend-help", ".eysend-privacy__summary"]
    for selector in targets:
        tab.locator(selector).first.focus()
        seen = tab.locator(selector).first.evaluate(style)
        assert seen["outline"] == "solid" and seen["outlineWidth"] >= 2, (selector, seen)
        assert seen["outlineColor"] not in ("transparent", "rgba(0, 0, 0, 0)"), (selector, seen)
    tab.get_by_role("button", name="Menu").press("Enter")
    seen = tab.locator(".eysend-menu__item").first.evaluate(style)
    assert seen["outline"] == "solid" and seen["outlineWidth"] >= 2
    ui.shot(tab, "widget-forced-colors-1280")


def test_every_state_passes_axe(tab: Any) -> None:
    tab.goto("/")
    tab.get_by_role("button", name=ui.LAUNCHER).click()
    axe_state(tab, "notice")
    tab.get_by_role("button", name="Start chat").click()
    ui.reply(tab, "I'm a parent or carer").wait_for()
    axe_state(tab, "open")
    chat_steps(tab)
    axe_state(tab, "outcome")
    for size in ("320", "375"):
        width, height = SIZES[size]
        tab.set_viewport_size({"width": width, "height": height})
        axe_state(tab, f"outcome at {size}px")


def test_save_this_conversation_as_text_and_a_printable_page(tab: Any) -> None:
    """Both are built in the browser from the screen: no request reaches the gateway's API."""
    tab.goto("/")
    ui.chat_to_handoff(tab)
    posts: list[str] = []
    tab.on("request", lambda r: r.method != "GET" and posts.append(r.url))
    ui.menu_item(tab, "Save this conversation")
    assert ui.focused(tab)["text"] == "Save this conversation"  # the save box's heading
    axe_state(tab, "save box")
    with tab.expect_download() as download:
        tab.get_by_role("link", name="Download it as a text file").click()
    assert re.fullmatch(r"early-years-send-conversation-\d{4}-\d\d-\d\d\.txt",
                        download.value.suggested_filename)
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("Your conversation with the Early Years SEND assistant\nSaved on ")
    assert re.search(r"You chose \(\d\d:\d\d\):\nI'm a parent or carer", text)
    assert re.search(r"You \(\d\d:\d\d\):\n2 and a half", text)
    assert "The assistant (" in text and "How old is your child?" in text
    assert "Pages the assistant linked to:\n- https://hertfordshire.gov.uk/microsites/" in text
    assert "not professional advice" in text
    assert "Was this" not in text and "opens in a new tab" not in text

    with tab.context.expect_page() as popup:
        tab.get_by_role("link", name=re.compile("Open a page to print")).click()
    printable = popup.value
    printable.problems = []
    printable.on("console", lambda m: m.type == "error" and printable.problems.append(m.text))
    printable.wait_for_load_state()
    assert printable.url.startswith("blob:")
    printable.get_by_role("button", name="Print or save as PDF").wait_for()  # its script ran
    assert printable.title() == "Your conversation with the Early Years SEND assistant"
    main = printable.locator("main").inner_text()
    assert "Saved on " in main and "I'm a parent or carer" in main
    assert printable.locator(".conversation__item").count() == tab.locator(
        ".eysend-log > li:has(.eysend-bubble, .eysend-handoff)"
    ).count()
    pages = printable.get_by_role("heading", name="Pages the assistant linked to")
    assert pages.is_visible()
    assert printable.locator(".conversation__links a").first.get_attribute("href").startswith(
        "https://hertfordshire.gov.uk/"
    )
    axe_state(printable, "saved transcript page")
    printable.set_viewport_size({"width": 320, "height": 640})
    ui.no_horizontal_scroll(printable)
    ui.shot(printable, "saved-conversation-320", full_page=True)
    printable.pdf(path=str(ui.ARTIFACTS / "saved-conversation.pdf"), format="A4")
    assert printable.problems == []
    assert posts == []  # nothing new was sent to the server
    tab.get_by_role("button", name="Close", exact=True).click()
    assert ui.focused(tab)["text"] == "Menu"
