"""Security headers on every response, CORS allow-list, health and static files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sanic_testing.testing import ASGI_BASE_URL

from bot.operations.processes import free_port
from tests.helpers.web_app import chat, new_sender

ALLOWED = "https://www.hertfordshire.gov.uk"
DENIED = "https://evil.example"


def assert_security_headers(resp) -> None:
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self';" in csp
    assert "'unsafe-inline'" not in csp
    assert f"frame-ancestors 'self' {ALLOWED}" in csp
    assert f"connect-src 'self' {ALLOWED}" in csp
    assert "base-uri 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"


PAGES = ["/", "/widget.js", "/widget.css", "/static/site.css", "/static/referral.js",
         "/api/widget-config", "/health"]
NOT_FOUND = ["/nowhere", "/static/../config.py", "/api/nowhere"]


@pytest.mark.parametrize(
    "method,path,status",
    [
        *[("get", path, 200) for path in PAGES],
        *[("get", path, 404) for path in NOT_FOUND],
        ("get", "/api/chat", 405),
        ("post", "/api/chat", 415),
        ("get", "/referral/" + "a" * 43, 404),
    ],
)
async def test_security_headers_on_every_response(app, method, path, status):
    _, resp = await getattr(app.asgi_client, method)(path)
    assert resp.status == status
    assert_security_headers(resp)


async def test_security_headers_on_413_and_503(make_app):
    app = make_app(rasa_urls=(f"http://127.0.0.1:{free_port()}",))
    _, resp = await app.asgi_client.post(
        "/api/chat", content="x" * 40_000, headers={"content-type": "application/json"}
    )
    assert resp.status == 413
    assert_security_headers(resp)
    resp = await chat(app, await new_sender(app), "hello")
    assert resp.status == 503
    assert_security_headers(resp)


def widget_modules() -> list[str]:
    """The widget's ES modules, as they are in the repository."""
    folder = Path(__file__).resolve().parents[2] / "bot" / "web" / "static" / "widget"
    return sorted(p.name for p in folder.glob("*.js"))


async def test_static_files_have_right_types(app):
    _, js = await app.asgi_client.get("/widget.js")
    assert js.headers["content-type"].startswith("application/javascript")
    _, css = await app.asgi_client.get("/widget.css")
    assert css.headers["content-type"].startswith("text/css")
    assert "innerHTML" not in js.text  # bot and user text only ever go through textContent
    assert '"/widget/main.js"' in js.text  # the one tag loads the widget's ES modules
    for name in widget_modules():
        _, module = await app.asgi_client.get(f"/widget/{name}")
        assert module.status == 200, name
        assert module.headers["content-type"].startswith("application/javascript"), name
        assert "innerHTML" not in module.text and "insertAdjacentHTML" not in module.text, name
    _, css = await app.asgi_client.get("/widget/conversation.css")
    assert css.headers["content-type"].startswith("text/css")


async def test_only_the_widget_modules_are_served(app):
    for path in ("/widget/nothere.js", "/widget/..%2Fwidget.js", "/widget/%2E%2E%2Fsite.css",
                 "/widget/main.js.map", "/widget/"):
        _, resp = await app.asgi_client.get(path)
        assert resp.status == 404, path


async def test_pages_have_no_inline_script_or_style(app):
    _, resp = await app.asgi_client.get("/")
    html = resp.text
    assert '<script src="/widget.js" defer></script>' in html
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert " on" + "click=" not in html


async def test_cors_preflight_allowed_origin(app):
    _, resp = await app.asgi_client.options(
        "/api/chat",
        headers={
            "origin": ALLOWED,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert resp.status == 204
    assert resp.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    assert resp.headers["Vary"] == "Origin"


async def test_cors_preflight_denied_origin(app):
    _, resp = await app.asgi_client.options(
        "/api/chat", headers={"origin": DENIED, "access-control-request-method": "POST"}
    )
    assert resp.status == 403
    assert "Access-Control-Allow-Origin" not in resp.headers


async def test_cors_request_from_allowed_and_denied_origins(app, upstream):
    sender = await new_sender(app)
    resp = await chat(app, sender, "hello", headers={"origin": ALLOWED})
    assert resp.status == 200
    assert resp.headers["Access-Control-Allow-Origin"] == ALLOWED
    resp = await chat(app, sender, "hello", headers={"origin": DENIED})
    assert resp.status == 403
    assert "Access-Control-Allow-Origin" not in resp.headers
    assert len(upstream.received) == 1


async def test_same_origin_request_is_allowed(app):
    resp = await chat(app, None, "hello", headers={"origin": ASGI_BASE_URL})
    assert resp.status == 200
    assert "Access-Control-Allow-Origin" not in resp.headers


async def test_health_all_up(app):
    _, resp = await app.asgi_client.get("/health")
    assert resp.status == 200
    assert resp.json == {
        "status": "ok",
        "gateway": "ok",
        "rasa": {"status": "ok", "up": 1, "instances": 1},
        "action_server": "ok",
    }


async def test_health_reports_rasa_and_action_server_down(make_app, upstream):
    app = make_app(rasa_urls=(upstream.url, f"http://127.0.0.1:{free_port()}"))
    _, resp = await app.asgi_client.get("/health")
    assert resp.status == 200
    assert resp.json["rasa"] == {"status": "degraded", "up": 1, "instances": 2}
    upstream.action_ok = False
    _, resp = await app.asgi_client.get("/health")
    assert resp.status == 503
    assert resp.json["action_server"] == "down" and resp.json["gateway"] == "ok"
    upstream.stop()
    _, resp = await app.asgi_client.get("/health")
    assert resp.json["rasa"]["status"] == "down"
    assert "127.0.0.1" not in resp.text  # no internal addresses


async def test_widget_files_are_readable_by_allowed_origins_only(app):
    _, resp = await app.asgi_client.get("/widget.css", headers={"origin": ALLOWED})
    assert resp.headers["Access-Control-Allow-Origin"] == ALLOWED
    _, resp = await app.asgi_client.get("/widget/main.js", headers={"origin": ALLOWED})
    assert resp.headers["Access-Control-Allow-Origin"] == ALLOWED  # modules are fetched with CORS
    _, resp = await app.asgi_client.get("/widget/main.js", headers={"origin": DENIED})
    assert "Access-Control-Allow-Origin" not in resp.headers
    _, resp = await app.asgi_client.get("/widget.js", headers={"origin": DENIED})
    assert resp.status == 200  # a plain <script> tag still works; the API is what is guarded
    assert "Access-Control-Allow-Origin" not in resp.headers
