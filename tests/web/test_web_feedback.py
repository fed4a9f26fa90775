"""'Was this helpful?' (widget JSON and guide forms) and the token-protected /admin/report."""

from __future__ import annotations

import re

from bot.web.service.feedback import sign, verify
from tests.helpers.web_app import new_sender


async def test_widget_feedback_is_stored_without_personal_data(app, service_files):
    sender = await new_sender(app)
    _, resp = await app.asgi_client.post(
        "/api/feedback", json={"sender": sender, "helpful": False, "kind": "end"}
    )
    assert resp.status == 201
    ref = resp.json["ref"]
    _, resp = await app.asgi_client.post(
        "/api/feedback/comment",
        json={"ref": ref, "comment": "No phone for the team. Ring me on 07700 900123, Tom's mum"},
    )
    assert resp.status == 200
    _, again = await app.asgi_client.post(
        "/api/feedback/comment", json={"ref": ref, "comment": "x"}
    )
    assert again.status == 409  # one comment per answer
    [item] = app.ctx.insight.feedback()
    assert (item.source, item.kind, item.helpful) == ("widget", "end", False)
    assert "[phone]" in item.comment and "900123" not in item.comment
    raw = service_files.read_bytes()
    assert sender.encode() not in raw and sender[:20].encode() not in raw and b"900123" not in raw


async def test_widget_feedback_refuses_bad_requests(app):
    sender = await new_sender(app)
    cases = [
        ({"helpful": True}, 400),
        ({"sender": "x" * 10, "helpful": True}, 400),
        ({"sender": sender[:-2] + "AA", "helpful": True}, 403),
        ({"sender": sender, "helpful": "yes"}, 400),
        ({"sender": sender, "helpful": True, "kind": "other"}, 400),
    ]
    for body, status in cases:
        _, resp = await app.asgi_client.post("/api/feedback", json=body)
        assert resp.status == status, body
    _, resp = await app.asgi_client.post("/api/feedback", data="helpful=1")
    assert resp.status == 415
    _, resp = await app.asgi_client.post(
        "/api/feedback/comment", json={"ref": "1.0000000000000000", "comment": "hi"}
    )
    assert resp.status == 400  # forged reference
    assert app.ctx.insight.feedback() == []


def test_references_are_signed() -> None:
    ref = sign(b"k", 12)
    assert verify(b"k", ref) == 12
    assert verify(b"other", ref) is None and verify(b"k", "12") is None and verify(b"k", 5) is None


async def test_guide_page_feedback_without_javascript(app):
    _, resp = await app.asgi_client.post(
        "/feedback", data={"page": "/guide/evidence", "helpful": "no"}, follow_redirects=False
    )
    assert resp.status == 303
    _, resp = await app.asgi_client.get(resp.headers["location"])
    assert "What was missing or wrong? (optional)" in resp.text
    ref = re.search(r'name="ref" value="([^"]+)"', resp.text).group(1)
    _, resp = await app.asgi_client.post(
        "/feedback/comment",
        data={"ref": ref, "page": "/guide/evidence", "comment": "email me a@b.com"},
    )
    assert resp.status == 200 and 'href="/guide/evidence"' in resp.text
    [item] = app.ctx.insight.feedback()
    assert (item.source, item.kind, item.page, item.helpful) == ("guide", "page",
                                                                "guide/evidence", False)
    assert item.comment == "email me [email]"
    _, resp = await app.asgi_client.post("/feedback", data={"page": "https://evil.example",
                                                            "helpful": "no"})
    assert resp.status == 400


async def test_admin_report_is_off_without_a_token(app):
    _, resp = await app.asgi_client.get("/admin/report")
    assert resp.status == 404
    _, resp = await app.asgi_client.post("/admin/report", data={"token": ""})
    assert resp.status == 404


async def test_admin_report_behind_a_token(make_app, monkeypatch):
    monkeypatch.setenv("ADMIN_REPORT_TOKEN", "s3cret-token-for-tests")
    app = make_app()
    sender = await new_sender(app)
    await app.asgi_client.post("/api/feedback", json={"sender": sender, "helpful": True})
    _, resp = await app.asgi_client.get("/admin/report")
    assert resp.status == 200 and 'type="password"' in resp.text
    assert resp.headers["Cache-Control"] == "no-store"
    _, resp = await app.asgi_client.post("/admin/report", data={"token": "wrong"})
    assert resp.status == 403 and "The token is wrong" in resp.text
    _, resp = await app.asgi_client.post("/admin/report", data={"token": "s3cret-token-for-tests"})
    assert resp.status == 200
    assert "<h1>Service report</h1>" in resp.text and "1 of 1</strong> helpful" in resp.text
    assert resp.text.count('src="data:image/png;base64,') == 3
    _, resp = await app.asgi_client.post(
        "/admin/report", data={"token": "s3cret-token-for-tests", "format": "csv"}
    )
    assert resp.headers["content-type"].startswith("text/csv")
    assert "feedback,helpful,1," in resp.text
    _, resp = await app.asgi_client.get(
        "/admin/report?format=csv", headers={"Authorization": "Bearer s3cret-token-for-tests"}
    )
    assert resp.status == 200 and resp.text.startswith("section,key,value,detail")
