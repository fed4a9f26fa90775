"""Whose requests count as ours: the configured public origins (never the Host header), and
form posts that carry a same-origin Origin or Referer, or a signed hidden-field token."""

from __future__ import annotations

import re

from sanic_testing.testing import ASGI_BASE_URL

from bot.web.config import GatewayConfig

EVIL = "http://evil.example"
FEEDBACK = {"page": "/guide/evidence", "helpful": "no"}


async def test_a_host_header_does_not_make_an_origin_ours(app):
    """DNS rebinding's shape: the page and the Host header both say evil.example."""
    _, resp = await app.asgi_client.post(
        "/api/session", headers={"host": "evil.example", "origin": EVIL}
    )
    assert resp.status == 403
    _, resp = await app.asgi_client.post("/api/session", headers={"origin": ASGI_BASE_URL})
    assert resp.status == 201


def test_default_origins_are_the_ones_make_run_prints() -> None:
    config = GatewayConfig.from_env({"GATEWAY_PORT": "8123"})
    assert config.own_origins == (
        "http://localhost:8123", "http://127.0.0.1:8123", "http://[::1]:8123"
    )
    config = GatewayConfig.from_env({"PUBLIC_ORIGINS": "https://send.example.gov.uk/"})
    assert config.own_origins == ("https://send.example.gov.uk",)


async def test_cross_site_form_posts_are_refused(app):
    cases = [
        {"origin": "", "referer": "http://evil.example/page"},  # the finding
        {"origin": EVIL},
        {"origin": "", "referer": ""},  # nothing to go on and no token
        {"origin": "null"},
    ]
    for headers in cases:
        _, resp = await app.asgi_client.post("/feedback", data=FEEDBACK, headers=headers)
        assert resp.status == 403, headers
        assert "could not be sent" in resp.text
    assert app.ctx.insight.feedback() == []
    _, resp = await app.asgi_client.post(
        "/feedback", data=FEEDBACK, headers={"origin": "", "referer": ASGI_BASE_URL + "/guide"},
        follow_redirects=False,
    )
    assert resp.status == 303


async def test_every_post_form_carries_a_token_that_works_without_origin(app, clock):
    _, page = await app.asgi_client.get("/guide/evidence")
    forms = re.findall(r'<form[^>]*method="post"[^>]*>(<input[^>]*>)', page.text)
    assert forms and all('name="form_token"' in f for f in forms)
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
    bare = {"origin": "", "referer": ""}
    _, resp = await app.asgi_client.post(
        "/feedback", data={**FEEDBACK, "form_token": token}, headers=bare,
        follow_redirects=False,
    )
    assert resp.status == 303
    _, resp = await app.asgi_client.post(
        "/feedback/comment", data={"comment": "x", "form_token": token}, headers=bare
    )
    assert resp.status == 403  # a token is for the form it came with
    app.ctx.form_tokens.clock = lambda: 10**11  # long after it expired
    _, resp = await app.asgi_client.post(
        "/feedback", data={**FEEDBACK, "form_token": token}, headers=bare
    )
    assert resp.status == 403


async def test_guide_and_referral_forms_are_checked_too(app):
    bare = {"origin": "", "referer": ""}
    for path in ("/guide/can-i-refer/requester_role", "/guide/can-i-refer/summary",
                 "/referral/" + "a" * 43 + "/delete", "/feedback/comment"):
        _, resp = await app.asgi_client.post(path, data={}, headers=bare)
        assert resp.status == 403, path
