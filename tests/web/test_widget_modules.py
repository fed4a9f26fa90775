"""Each of the widget's ES modules on its own, imported into a real page in Debian's Chromium
from the real gateway (so the CSP and the module serving are the ones a parent gets)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers.browser import open_tab


@pytest.fixture
def js(browser: Any, gateway: str) -> Iterator[Any]:
    """A blank page on the gateway's origin; js(module, body) runs body with the module as m."""
    context, page = open_tab(browser, gateway)
    page.goto("/widget-config-missing")  # a 404 page of the gateway: its origin, no widget

    def run(module: str, body: str, arg: Any = None) -> Any:
        return page.evaluate(
            f"async (arg) => {{ const m = await import('/widget/{module}.js'); {body} }}", arg
        )

    run.page = page
    yield run
    context.close()
    assert [p for p in page.problems if "404" not in p] == []


def rich(js: Any, text: str) -> str:
    """The HTML richtext.js makes of `text` (serialised only to compare it here)."""
    return js("richtext", "return m.renderRich(arg, {base: 'https://gw', newTab: '(new tab)'})"
              ".outerHTML;", text)


def test_richtext_paragraphs_lists_and_links(js: Any) -> None:
    assert rich(js, "One.\nTwo.\n\nThree.") == (
        '<div class="eysend-rich"><p class="eysend-p">One.<br>Two.</p>'
        '<p class="eysend-p">Three.</p></div>'
    )
    html = rich(js, "Groups:\n- One\n• Two\n* Three\n\n1. First\n2) Second")
    assert '<ul class="eysend-list"><li>One</li><li>Two</li><li>Three</li></ul>' in html
    assert '<ol class="eysend-list"><li>First</li><li>Second</li></ol>' in html
    assert 'start="3"' in rich(js, "3. Third\n4. Fourth")
    html = rich(js, "**Yes.** See [the guide](/guide) or https://example.org/a_b. *Now*")
    assert "<strong>Yes.</strong>" in html and "<em>Now</em>" in html
    assert '<a class="eysend-link" href="https://gw/guide">the guide</a>' in html
    assert (
        '<a class="eysend-link" href="https://example.org/a_b" target="_blank" '
        'rel="noopener noreferrer">example.org/a_b<span class="eysend-vh"> (new tab)</span></a>.'
    ) in html
    assert "# Title" not in rich(js, "# Title") and "<strong>Title</strong>" in rich(js, "# Title")


def test_richtext_never_makes_markup_from_text(js: Any) -> None:
    html = rich(js, '<img src=x onerror=alert(1)> [x](javascript:alert(1)) **<b>b</b>**')
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript' not in html  # only http(s) and the gateway's own paths link


def test_richtext_plain_words_and_links(js: Any) -> None:
    text = "Hello **there**\n- one https://example.org/x\n2. two [the guide](/guide)"
    spoken, saved, links = js(
        "richtext",
        "const n = m.renderRich(arg, {base: 'https://gw', newTab: '(new tab)'});"
        " return [m.plainText(n, false), m.plainText(n, true), m.linksIn(n)];",
        text,
    )
    assert spoken == "Hello there\none example.org/x\ntwo the guide"
    assert saved == "Hello there\n- one example.org/x\n2. two the guide"
    assert links == ["https://example.org/x", "https://gw/guide"]
    assert js("richtext", "return m.shownAddress('https://www.x.gov.uk/');") == "www.x.gov.uk"


def test_transport_reads_replies_and_drops_anything_odd(js: Any) -> None:
    kept = js(
        "transport",
        "return m.botMessages([null, 'x', {text: 5}, {text: 'Hi', buttons: [{title: 'Yes',"
        " payload: '/y'}, {title: 1}, 'z']}, {custom: {handoff: {referral_url: 'https://evil/'}}},"
        " {custom: {handoff: {referral_url: '/referral/abc', label: 'Go'}}}], null);",
    )
    assert kept == [
        {"from": "bot", "text": "Hi", "buttons": [{"title": "Yes", "payload": "/y"}]},
        {"from": "bot", "text": "", "handoff": {"referral_url": "/referral/abc", "label": "Go"}},
    ]
    ids = js("transport", "return [m.newMessageId(), m.newMessageId()];")
    assert ids[0] != ids[1] and all(len(i) == 24 and int(i, 16) >= 0 for i in ids)


def test_transport_sends_again_once_with_the_same_id(js: Any) -> None:
    """A dropped connection: the message goes again after a moment, with the same id."""
    result = js(
        "transport",
        "const sent = []; const real = window.fetch; let drop = true;"
        " window.fetch = (url, opts) => { if (url.endsWith('/api/chat')) {"
        "   sent.push(JSON.parse(opts.body).message_id);"
        "   if (drop) { drop = false; return Promise.reject(new TypeError('dropped')); } }"
        "   return real(url, opts); };"
        " let sender = null;"
        " const ids = {get: () => sender, set: (s) => { sender = s; }};"
        " const t = m.createTransport(location.origin, ids);"
        " const reply = await t.chat('/greet'); window.fetch = real;"
        " return {sent, reply, sender};",
    )
    assert len(result["sent"]) == 2 and result["sent"][0] == result["sent"][1]
    assert result["sender"]
    assert result["reply"]["messages"][0]["text"].startswith("Hello")


def test_transport_reports_rate_limits_and_errors(js: Any) -> None:
    result = js(
        "transport",
        "const real = window.fetch; let answer;"
        " window.fetch = () => Promise.resolve(answer);"
        " const t = m.createTransport('https://gw', {get: () => 'me', set: () => {}});"
        " answer = new Response('{}', {status: 429, headers: {'Retry-After': '7'}});"
        " const rate = await t.chat('hi');"
        " answer = new Response(JSON.stringify({error: 'Too long.'}), {status: 400});"
        " const refused = await t.chat('hi');"
        " answer = new Response('not json', {status: 502});"
        " const broken = await t.chat('hi');"
        " window.fetch = real; return [rate, refused, broken];",
    )
    assert result == [{"error": "rate", "wait": "7"}, {"error": "Too long."}, {"error": "network"}]


def test_storage_survives_corrupt_or_blocked_storage_and_keeps_200(js: Any) -> None:
    result = js(
        "storage",
        "const s = m.createStore('https://gw');"
        " sessionStorage.setItem('eysend-chat:https://gw', '{not json');"
        " const corrupt = s.load();"
        " sessionStorage.setItem('eysend-chat:https://gw', JSON.stringify({messages: [null, 1,"
        " {from: 'user', text: 'a'}]}));"
        " const cleaned = s.load().messages;"
        " const big = m.emptyState(true);"
        " for (let i = 0; i < 250; i++) big.messages.push({from: 'user', text: String(i)});"
        " s.save(big); const kept = s.load().messages;"
        " const get = Storage.prototype.getItem;"
        " Storage.prototype.getItem = () => { throw new Error('blocked'); };"
        " const blocked = s.load(); Storage.prototype.getItem = get;"
        " return {corrupt, cleaned, kept: [kept.length, kept[0].text], blocked};",
    )
    empty = {"sender": None, "started": False, "open": False, "messages": []}
    assert result["corrupt"] == empty and result["blocked"] == empty
    assert result["cleaned"] == [{"from": "user", "text": "a"}]
    assert result["kept"] == [200, "50"]  # the newest 200


def test_live_announces_once_then_empties(js: Any) -> None:
    result = js(
        "live",
        "const a = m.createAnnouncer('New messages'); document.body.appendChild(a.region);"
        " a.announce('Assistant said: Hello'); a.announce('');"
        " const now = [a.region.getAttribute('role'), a.region.getAttribute('aria-live'),"
        " a.region.textContent];"
        " await new Promise((r) => setTimeout(r, 1200));"
        " return [...now, a.region.textContent];",
    )
    assert result == ["log", "polite", "Assistant said: Hello", ""]


def test_quick_replies_call_back_and_clear(js: Any) -> None:
    result = js(
        "quickreplies",
        "const chosen = []; const g = m.quickReplies([{title: 'Yes', payload: '/y'},"
        " {title: 'No', payload: '/n'}], 'Suggested replies', (b) => chosen.push(b.payload));"
        " document.body.appendChild(g); g.querySelectorAll('button')[1].click();"
        " const before = document.querySelectorAll('.eysend-replies').length;"
        " m.clearReplies(document.body);"
        " return [g.getAttribute('role'), g.getAttribute('aria-label'), chosen, before,"
        " document.querySelectorAll('.eysend-replies').length];",
    )
    assert result == ["group", "Suggested replies", ["/n"], 1, 0]


def test_notice_start_button_is_described_by_the_notice(js: Any) -> None:
    result = js(
        "notice",
        "let started = 0; const T = {privacy_heading: 'Before you start', privacy_notice: ['Kept"
        " 30 days.'], about_notice: ['A bot.'], start_chat: 'Start chat', about_heading: 'About'};"
        " const n = m.buildNotice(T, 'https://gw', () => { started++; });"
        " document.body.appendChild(n.element); n.start.click();"
        " const d = m.buildPrivacyDetails(T, 'https://gw');"
        " return [document.getElementById(n.start.getAttribute('aria-describedby')).textContent,"
        " started, d.tagName, n.element.querySelector('a[href=\"https://gw/privacy\"]') !== null];",
    )
    assert result == ["Kept 30 days.", 1, "DETAILS", True]


def test_transcript_restores_and_never_pulls_a_reader_down(js: Any) -> None:
    result = js(
        "transcript",
        "const T = {transcript_label: 'Conversation', you_said: 'You said:', you_chose:"
        " 'You chose:', assistant_said: 'Assistant said:', suggested_replies: 'Replies'};"
        " const sc = document.createElement('div'); sc.style.height = '100px';"
        " sc.style.overflowY = 'auto'; document.body.appendChild(sc);"
        " const t = m.createTranscript({T, base: 'https://gw', onChoose: () => {},"
        "   scroller: () => sc, feedback: null});"
        " sc.appendChild(t.element);"
        " const q = (n) => ({from: 'bot', text: 'Question ' + n + '\\n\\nLong\\n\\nreply',"
        "   buttons: [{title: 'Yes', payload: '/y'}]});"
        " t.restore([q(1), {from: 'user', text: 'Yes', chosen: true}, q(2)]);"
        " const groups = t.log.querySelectorAll('.eysend-replies').length;"
        " const own = t.log.children[1].textContent;"
        " sc.scrollTop = 0; t.add([q(3)]); const stayed = sc.scrollTop;"
        " t.add([{from: 'user', text: 'No'}]);"
        " const atEnd = sc.scrollHeight - sc.scrollTop - sc.clientHeight < 2;"
        " return [t.element.getAttribute('role'), t.element.getAttribute('aria-live'), groups,"
        " own, stayed, atEnd, t.log.querySelectorAll('.eysend-replies').length];",
    )
    assert result == ["log", "off", 1, "You chose: Yes", 0, True, 0]


def test_menu_opens_moves_and_closes(js: Any) -> None:
    result = js(
        "menu",
        "const done = []; const menu = m.createMenu('Menu', [{id: 'a', label: 'A', action: () =>"
        " done.push('a')}, {id: 'b', label: 'B', action: () => done.push('b')}, {id: 'c',"
        " label: 'C', action: () => done.push('c')}]);"
        " document.body.appendChild(menu.element); menu.setVisible('b', false);"
        " const key = (k) => document.activeElement.dispatchEvent(new KeyboardEvent('keydown',"
        "   {key: k, bubbles: true}));"
        " const seen = []; menu.button.focus(); key('ArrowDown');"
        " seen.push(document.activeElement.textContent); key('ArrowDown');"
        " seen.push(document.activeElement.textContent); key('ArrowDown');"
        " seen.push(document.activeElement.textContent);"
        " const expanded = menu.button.getAttribute('aria-expanded');"
        " key('Escape'); seen.push(document.activeElement === menu.button);"
        " menu.button.click(); document.activeElement.click();"
        " return [seen, expanded, menu.button.getAttribute('aria-expanded'), done];",
    )
    assert result == [["A", "C", "A", True], "true", "false", ["a"]]


def test_feedback_is_offered_only_on_an_answer_that_asks_nothing(js: Any) -> None:
    result = js(
        "feedback",
        "const a = [{from: 'bot', text: 'x'}, {from: 'bot', text: 'y'}]; m.markFeedback(a, 'hi');"
        " const b = [{from: 'bot', text: 'x', buttons: [{title: 'Yes'}]}]; m.markFeedback(b, 'hi');"
        " const c = [{from: 'bot', text: 'x', kind: 'error'}]; m.markFeedback(c, 'hi');"
        " const d = [{from: 'bot', text: 'x'}]; m.markFeedback(d, '/goodbye');"
        " return [a.map(x => x.feedbackKind || null), b[0].feedbackKind || null,"
        " c[0].feedbackKind || null, d[0].feedbackKind];",
    )
    assert result == [[None, "answer"], None, None, "end"]


def test_save_builds_text_and_page_from_the_screen(js: Any) -> None:
    result = js(
        "save",
        "const r = await import('/widget/richtext.js');"
        " const log = document.createElement('ol');"
        " const item = (from, node, chosen) => { const li = document.createElement('li');"
        "   li.dataset.from = from; li.dataset.at = '2026-11-25T10:05:00Z';"
        "   if (chosen) li.dataset.chosen = 'true';"
        "   const b = document.createElement('div'); b.className = 'eysend-bubble';"
        "   b.appendChild(node); li.appendChild(b); log.appendChild(li); };"
        " item('bot', r.renderRich('Pick:\\n- A https://example.org/a', {}));"
        " const own = document.createElement('p'); own.textContent = '<b>A</b>';"
        " item('user', own, true);"
        " const T = {save_title: 'Your conversation', save_saved_on: 'Saved on {when}',"
        "   save_you: 'You', save_you_chose: 'You chose', save_assistant: 'The assistant',"
        "   save_pages: 'Pages', save_no_pages: 'None', save_disclaimer: 'Not advice.',"
        "   save_said: 'What was said', save_print_button: 'Print'};"
        " const conv = m.readTranscript(log); const now = new Date('2026-11-25T10:06:00Z');"
        " return [m.asText(conv, T, now), m.asPage(conv, T, 'https://gw', now)];",
    )
    text, page = result
    assert text.startswith("Your conversation\nSaved on 25 November 2026, ")
    assert "The assistant (" in text and "Pick:\n- A example.org/a" in text
    assert "You chose (" in text and "<b>A</b>" in text
    assert text.rstrip().endswith("Pages:\n- https://example.org/a\n\nNot advice.")
    assert page.startswith("<!doctype html>\n<html lang=\"en-GB\">")
    assert '<meta charset="utf-8">' in page and "<title>Your conversation</title>" in page
    assert '<link rel="stylesheet" href="https://gw/widget/conversation.css">' in page
    assert '<script type="module" src="https://gw/widget/printpage.js"></script>' in page
    assert "&lt;b&gt;A&lt;/b&gt;" in page and "<b>A</b>" not in page
    assert '<a href="https://example.org/a">https://example.org/a</a>' in page


def test_conversation_one_turn_at_a_time_with_polite_errors(js: Any) -> None:
    result = js(
        "conversation",
        "const said = []; const shown = []; let answer; let release;"
        " const T = {rate_limited: 'Wait {seconds} s.', network_error: 'No connection.',"
        "   you_chose: 'You chose:', assistant_said: 'Assistant said:',"
        "   replies_offered: '{count} suggested replies.',"
        "   replies_offered_one: '1 suggested reply.'};"
        " const input = document.createElement('textarea'); document.body.appendChild(input);"
        " const session = {state: {messages: []}, save() {}};"
        " const live = {announce: (t) => said.push(t)};"
        " const c = m.createConversation({T, cfg: {}, session, live,"
        "   ui: {input, typing: {}}, onReset() {},"
        "   transcript: {add: (ms) => { shown.push(...ms.map((x) => x.text));"
        "     return ms.map((x) => { const n = document.createElement('p'); n.textContent = x.text;"
        "       const w = document.createElement('div'); w.appendChild(n); return w; }); },"
        "     keepEnd() {}, clear() {}},"
        "   transport: {chat: () => new Promise((r) => { release = () => r(answer); })}});"
        " answer = {messages: [{from: 'bot', text: 'Ready?', buttons: [{title: 'Yes'}]}]};"
        " const first = c.send('/yes', 'Yes', true); c.send('/no', 'No', true);"
        " const focusedInput = document.activeElement === input; release(); await first;"
        " answer = {error: 'rate', wait: '9'}; const second = c.send('hi', 'hi', false);"
        " release(); await second;"
        " return {said, shown, focusedInput, kept: session.state.messages.length};",
    )
    assert result["said"] == [
        "You chose: Yes",
        "Assistant said: Ready? 1 suggested reply.",
        "Assistant said: Wait 9 s.",
    ]
    assert result["shown"] == ["Yes", "Ready?", "hi", "Wait 9 s."]  # "No" was not sent
    assert result["focusedInput"] and result["kept"] == 4


def test_panel_scrolls_as_one_on_very_short_screens(js: Any) -> None:
    page = js.page
    page.set_viewport_size({"width": 320, "height": 200})
    page.goto("/")
    page.get_by_role("button", name="Ask the Early Years SEND assistant").click()
    tall = page.evaluate(
        "async () => { const m = await import('/widget/panel.js');"
        " return m.scrollerOf({body: document.querySelector('.eysend-body'),"
        "   panel: document.querySelector('.eysend-panel')}).className; }"
    )
    assert tall == "eysend-panel"
    page.set_viewport_size({"width": 320, "height": 640})
    short = page.evaluate(
        "async () => { const m = await import('/widget/panel.js');"
        " return m.scrollerOf({body: document.querySelector('.eysend-body'),"
        "   panel: document.querySelector('.eysend-panel')}).className; }"
    )
    assert short == "eysend-body"


def test_a_reply_in_another_language_is_marked_with_its_language_and_direction(js: Any) -> None:
    """The fixed reply to a message in Urdu comes as custom {text, lang, dir}: it is shown,
    read in its own language and laid out right to left; an odd lang or dir is dropped."""
    kept = js(
        "transport",
        "return m.botMessages([{custom: {text: 'میں', lang: 'ur', dir: 'rtl'}},"
        " {custom: {text: 'x', lang: 'not a code', dir: 'up'}}], null);",
    )
    assert kept == [{"from": "bot", "text": "میں", "lang": "ur", "dir": "rtl"},
                    {"from": "bot", "text": "x"}]
    marks = js(
        "transcript",
        "const T = {transcript_label: 'Conversation', you_said: 'You said:', you_chose:"
        " 'You chose:', assistant_said: 'Assistant said:', suggested_replies: 'Replies'};"
        " const t = m.createTranscript({T, base: 'https://gw', onChoose: () => {},"
        "   scroller: () => document.body, feedback: null});"
        " document.body.appendChild(t.element);"
        " t.add([{from: 'bot', text: 'میں', lang: 'ur', dir: 'rtl'}]);"
        " const box = t.log.querySelector('.eysend-bubble');"
        " return [box.lang, box.dir];",
    )
    assert marks == ["ur", "rtl"]
