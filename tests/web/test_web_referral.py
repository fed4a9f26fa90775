"""Handoff to /referral/<token>: tokens, pre-filled form, errors, expiry, delete and outbox."""

from __future__ import annotations

import re

from bot.storage.referral_drafts import token_hash
from tests.helpers.fake_upstream import HANDOFF
from tests.helpers.web_app import chat, new_sender


async def handoff_url(app, upstream, handoff=None) -> str:
    upstream.replies = [
        {"recipient_id": "x", "text": "Thank you."},
        {"recipient_id": "x", "custom": {"handoff": handoff if handoff is not None else HANDOFF}},
    ]
    resp = await chat(app, await new_sender(app), "yes")
    assert resp.status == 200
    custom = resp.json[1]["custom"]
    assert set(custom) == {"handoff"}
    url = custom["handoff"]["referral_url"]
    assert re.fullmatch(r"/referral/[A-Za-z0-9_-]{43}", url)
    assert custom["handoff"]["label"] == "Prepare my service request"
    assert "child_age_text" not in custom["handoff"]  # the data stays on the server
    return url


def checked(html: str, name: str) -> set[str]:
    pattern = rf'name="{name}" type="(?:radio|checkbox)" value="([^"]+)" checked'
    return set(re.findall(pattern, html))


VALID_FORM = {
    "role": "parent",
    "child_age": "2 years 6 months",
    "attends_setting": "yes",
    "dspl_area": "DSPL 3",
    "concerns": ["communication", "social_emotional"],
    "worries": "She uses few words and gets upset when she is not understood.",
    "support_tried": "yes",
    "support_details": "Small-group language sessions since September.",
    "consent": "yes",
}


async def test_handoff_creates_random_tokens_and_a_prefilled_form(app, upstream):
    first = await handoff_url(app, upstream)
    second = await handoff_url(app, upstream)
    assert first != second
    assert app.ctx.referrals.count() == 2
    _, resp = await app.asgi_client.get(first)
    assert resp.status == 200
    html = resp.text
    assert "<h1>Prepare your service request</h1>" in html
    assert checked(html, "role") == {"parent"}
    assert checked(html, "attends_setting") == {"yes"}
    assert checked(html, "concerns") == {"communication"}
    assert checked(html, "consent") == {"yes"}
    assert checked(html, "support_tried") == {"yes"}
    assert 'value="2 years 6 months"' in html and 'value="DSPL 3"' in html
    for label in ("Social and emotional development", "Sensory and physical needs"):
        assert label in html  # the council's other areas are offered too
    assert '<label class="label" for="worries">' in html
    assert resp.headers["Cache-Control"] == "no-store"
    assert "noindex" in resp.headers["X-Robots-Tag"]


async def test_tokens_are_stored_hashed(app, upstream):
    url = await handoff_url(app, upstream)
    token = url.rsplit("/", 1)[1]
    raw = app.ctx.referrals.path.read_bytes()
    assert token.encode() not in raw
    assert token_hash(token).encode() in raw


async def test_handoff_data_is_cleaned(app, upstream):
    nasty = {
        **HANDOFF,
        "child_age_text": "<script>alert(1)</script>",
        "form_page_url": "javascript:alert(1)",
        "child_name": "Jamie",
        "contacts": [{"name": "X", "url": "javascript:alert(2)"}, "junk"],
    }
    url = await handoff_url(app, upstream, nasty)
    token = url.rsplit("/", 1)[1]
    stored = app.ctx.referrals.get(token).handoff
    assert "child_name" not in stored and "form_page_url" not in stored
    assert stored["contacts"] == [{"name": "X"}]
    _, resp = await app.asgi_client.get(url)
    assert "<script>alert" not in resp.text and "&lt;script&gt;" in resp.text


async def test_missing_answers_show_an_error_summary(app, upstream):
    url = await handoff_url(app, upstream, {})
    _, resp = await app.asgi_client.post(url, data={"dspl_area": "DSPL 1"})
    assert resp.status == 400
    html = resp.text
    assert "<title>Error: Prepare your service request</title>" in html
    assert 'class="error-summary" role="alert"' in html
    for anchor in ("#role", "#child_age", "#attends_setting", "#concerns", "#worries", "#consent"):
        assert f'href="{anchor}"' in html
    assert 'id="worries-error"' in html and 'aria-describedby="worries-hint worries-error"' in html
    assert 'value="DSPL 1"' in html  # what was typed is kept


async def test_complete_form_leads_to_a_printable_summary(app, upstream):
    url = await handoff_url(app, upstream)
    _, resp = await app.asgi_client.post(url, data=VALID_FORM, follow_redirects=False)
    assert resp.status == 303, re.findall(r'error-summary__list">.*?</ul>', resp.text)
    assert resp.headers["location"] == f"{url}/summary"
    _, resp = await app.asgi_client.get(f"{url}/summary")
    assert resp.status == 200
    html = resp.text
    assert "Your service request summary" in html
    assert "She uses few words" in html
    assert "Speech, language and communication, Social and emotional development" in html
    assert "service request form" in html and "early-years-send-specialists.aspx" in html
    assert "Print or save as PDF" in html and "Delete my answers" in html
    assert '<script src="/static/referral.js" defer></script>' in html


async def test_free_text_is_cleaned_and_capped(app, upstream):
    url = await handoff_url(app, upstream)
    form = {**VALID_FORM, "worries": "a\x00b\u202e" + "c" * 5000}
    await app.asgi_client.post(url, data=form)
    token = url.rsplit("/", 1)[1]
    answers = app.ctx.referrals.get(token).answers
    assert answers["worries"].startswith("abc") and len(answers["worries"]) == 2000


async def test_unknown_and_malformed_tokens_are_404(app):
    for path in ("/referral/" + "A" * 43, "/referral/short", "/referral/" + "A" * 43 + "/summary"):
        _, resp = await app.asgi_client.get(path)
        assert resp.status == 404
        assert "Page not found" in resp.text


async def test_token_expires_after_ttl_and_data_is_deleted(app, upstream, clock):
    url = await handoff_url(app, upstream)
    clock.now += 23.9 * 3600
    _, resp = await app.asgi_client.get(url)
    assert resp.status == 200
    clock.now += 0.2 * 3600
    _, resp = await app.asgi_client.get(url)
    assert resp.status == 410
    assert "This link has expired" in resp.text
    assert app.ctx.referrals.count() == 0
    _, resp = await app.asgi_client.get(url)
    assert resp.status == 404


async def test_purge_removes_expired_drafts(make_app, upstream, clock):
    app = make_app(token_ttl_hours=1)
    await handoff_url(app, upstream)
    await handoff_url(app, upstream)
    clock.now += 1800
    fresh = await handoff_url(app, upstream)
    clock.now += 1900
    assert app.ctx.referrals.purge_expired() == 2
    _, resp = await app.asgi_client.get(fresh)
    assert resp.status == 200


async def test_delete_my_answers(app, upstream):
    url = await handoff_url(app, upstream)
    await app.asgi_client.post(url, data=VALID_FORM)
    _, resp = await app.asgi_client.post(f"{url}/delete")
    assert resp.status == 200
    assert "Your answers have been deleted" in resp.text
    assert app.ctx.referrals.count() == 0
    for path in (url, f"{url}/summary"):
        _, resp = await app.asgi_client.get(path)
        assert resp.status == 404


async def test_send_writes_to_the_outbox_once(app, upstream):
    url = await handoff_url(app, upstream)
    token = url.rsplit("/", 1)[1]
    await app.asgi_client.post(url, data=VALID_FORM)
    _, resp = await app.asgi_client.post(f"{url}/send")
    assert resp.status == 200
    assert "A copy of your answers has been passed to the service" in resp.text
    outbox = app.ctx.config.outbox_dir
    [eml] = list(outbox.glob("*.eml"))
    text = eml.read_text()
    reference = app.ctx.referrals.get(token).reference
    assert reference in eml.name and f"Subject: Service request summary {reference}" in text
    assert "She uses few words" in text and token not in text
    await app.asgi_client.post(f"{url}/send")
    assert len(list(outbox.glob("*.eml"))) == 1


async def test_send_before_the_form_is_done_goes_back_to_it(app, upstream):
    url = await handoff_url(app, upstream)
    _, resp = await app.asgi_client.post(f"{url}/send", follow_redirects=False)
    assert resp.status == 303 and resp.headers["location"] == url
    assert not app.ctx.config.outbox_dir.exists()


async def test_referral_posts_refuse_other_origins(app, upstream):
    url = await handoff_url(app, upstream)
    _, resp = await app.asgi_client.post(
        f"{url}/delete", headers={"origin": "https://evil.example"}
    )
    assert resp.status == 403
    assert app.ctx.referrals.count() == 1
