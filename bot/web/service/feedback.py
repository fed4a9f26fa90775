"""'Was this helpful?': JSON for the widget, plain forms for the guide (works without JS).

Nothing that identifies a person is stored: the widget proves it holds a conversation we issued
(the sender id is checked, never kept), and the answer is saved with the day only. A comment
can be added once, with a signed reference to the answer it belongs to.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html, redirect
from sanic.response import json as json_response

from bot.operations.insight import MAX_COMMENT_CHARS, InsightStore
from bot.web.chatrequest import Refusal, parse_object, refuse_envelope
from bot.web.params import Choice, Param
from bot.web.ratelimit import retry_after_header
from bot.web.render import esc, page
from bot.web.routes import RouteTable, bound_to

WIDGET_KINDS = ("answer", "end")
PAGE = Param("page", 100)
HELPFUL = Choice("helpful", options=("yes", "no"))
REF = Param("ref", 40)
COMMENT = Param("comment", 4 * MAX_COMMENT_CHARS, multiline=True)
_REF_RE = re.compile(r"^(\d{1,12})\.([0-9a-f]{16})$")
_PAGE_RE = re.compile(r"^/(guide|contact|accessibility|privacy|about-this-assistant)[a-z0-9/-]*$")
ROUTES = RouteTable()


def sign(secret: bytes, feedback_id: int) -> str:
    """A reference to one answer that only this gateway can make."""
    mac = hmac.new(secret, f"feedback:{feedback_id}".encode(), hashlib.sha256).hexdigest()
    return f"{feedback_id}.{mac[:16]}"


def verify(secret: bytes, ref: object) -> int | None:
    """The answer id in a reference, or None if it is malformed or forged."""
    match = _REF_RE.match(ref) if isinstance(ref, str) else None
    if not match:
        return None
    feedback_id = int(match.group(1))
    return feedback_id if hmac.compare_digest(sign(secret, feedback_id), match.string) else None


def safe_page(value: object) -> str:
    """A page path of our own to come back to ('' if it is anything else)."""
    return value if isinstance(value, str) and _PAGE_RE.match(value) else ""


def comment_form(ref: str, back: str, helpful: bool) -> str:
    """The optional comment, as a plain form (GOV.UK pattern)."""
    title = "Thank you for your feedback"
    ask = "What was missing or wrong?" if not helpful else "Is there anything we could improve?"
    return (
        f"<h1>{esc(title)}</h1>"
        '<form method="post" action="/feedback/comment" novalidate>'
        f'<input type="hidden" name="ref" value="{esc(ref)}">'
        f'<input type="hidden" name="page" value="{esc(back)}">'
        '<div class="form-group">'
        f'<label class="label" for="comment">{esc(ask)} (optional)</label>'
        '<div id="comment-hint" class="hint">Please do not include names, contact details or '
        "anything else that could identify you or a child. We cannot reply to comments.</div>"
        f'<textarea class="textarea" id="comment" name="comment" rows="4" '
        f'maxlength="{MAX_COMMENT_CHARS}" aria-describedby="comment-hint"></textarea></div>'
        '<button type="submit" class="button">Send comment</button></form>'
        + (f'<p><a href="{esc(back)}">Go back to the page</a></p>' if back else "")
    )


@dataclass(frozen=True, eq=False)  # hashed as itself (see bot.web.routes)
class FeedbackRoutes:
    """What the feedback handlers are bound to."""

    secret: bytes
    store: InsightStore
    max_body: int


def create_feedback_blueprint(secret: bytes, store: InsightStore, max_body: int) -> Blueprint:
    """POST /api/feedback and /api/feedback/comment (widget); /feedback forms (guide)."""
    return ROUTES.blueprint("feedback", FeedbackRoutes(secret, store, max_body))


def routes_of(request: Request) -> FeedbackRoutes:
    """The secret and store the route was made with."""
    return bound_to(request)


def limited(request: Request) -> float:
    """Seconds to wait if the address is over its rate (counting this request), else 0."""
    return request.app.ctx.ip_limiter.hit(request.ctx.client_ip)


def api_error(message: str, status: int, wait: float = 0) -> HTTPResponse:
    """A JSON error for the widget, with Retry-After when it should wait."""
    headers = {"Retry-After": retry_after_header(wait)} if wait else None
    return json_response({"error": message}, status=status, headers=headers)


async def preflight(request: Request) -> HTTPResponse:
    """OPTIONS: nothing to add to what the CORS middleware says."""
    return HTTPResponse(status=204)


for _path in ("/api/feedback", "/api/feedback/comment"):
    ROUTES.add(preflight, _path, "OPTIONS", name=f"preflight_{_path[5:]}")


def allowed_json(request: Request) -> Any:
    """The request's JSON object, or the error response (rate limit, bad body)."""
    if wait := limited(request):
        return api_error("Please wait and try again.", 429, wait)
    body_bytes = request.body or b""
    max_body = routes_of(request).max_body
    refused = refuse_envelope(len(body_bytes), request.headers.get("content-type"), max_body)
    body = refused or parse_object(body_bytes)
    if isinstance(body, Refusal):
        return api_error(body.message, body.status)
    return body


def known_sender(request: Request, body: dict) -> HTTPResponse | None:
    """The error to answer unless the body names a conversation this gateway issued."""
    sender = body.get("sender")
    senders = request.app.ctx.senders
    if not isinstance(sender, str) or not senders.well_formed(sender):
        return api_error("Unknown conversation.", 400)
    if not senders.valid(sender):
        return api_error("This conversation was not started here.", 403)
    return None


@ROUTES.post("/api/feedback")
async def widget_feedback(request: Request) -> HTTPResponse:
    """POST /api/feedback: the widget's yes/no, saved with the day only; a reference back."""
    body = allowed_json(request)
    if isinstance(body, HTTPResponse):
        return body
    if (refused := known_sender(request, body)) is not None:
        return refused
    helpful, kind = body.get("helpful"), body.get("kind", "answer")
    if not isinstance(helpful, bool) or kind not in WIDGET_KINDS:
        return api_error("Send 'helpful' (true or false) and 'kind'.", 400)
    routes = routes_of(request)
    item = await asyncio.to_thread(routes.store.add_feedback, "widget", kind, helpful)
    return json_response({"ref": sign(routes.secret, item.id)}, status=201)


@ROUTES.post("/api/feedback/comment")
async def widget_comment(request: Request) -> HTTPResponse:
    """POST /api/feedback/comment: one comment on an answer, by its signed reference."""
    body = allowed_json(request)
    if isinstance(body, HTTPResponse):
        return body
    routes = routes_of(request)
    feedback_id = verify(routes.secret, body.get("ref"))
    comment = body.get("comment")
    if feedback_id is None or not isinstance(comment, str) or not comment.strip():
        return api_error("Send a comment with the reference you were given.", 400)
    # Redacting and writing run on a worker thread, never on the event loop.
    if not await asyncio.to_thread(routes.store.set_comment, feedback_id, comment):
        return api_error("A comment has already been added.", 409)
    return json_response({"ok": True})


def refused_form(request: Request) -> HTTPResponse | None:
    """The 429 page if the address is over its rate (counting this request)."""
    if wait := limited(request):
        resp = html(page("Too many requests", "<h1>Too many requests</h1>"), 429)
        resp.headers["Retry-After"] = retry_after_header(wait)
        return resp
    return None  # the origin or form token is checked by bot.web.security


@ROUTES.post("/feedback")
async def page_feedback(request: Request) -> HTTPResponse:
    """POST /feedback: a guide page's yes/no, then the thank-you page with the comment form."""
    if (refused := refused_form(request)) is not None:
        return refused
    form = request.form or {}
    back = safe_page(PAGE.read(form))
    answer = HELPFUL.choice(form)
    if not back or not answer:
        return html(page("Feedback", "<h1>Sorry, that did not work</h1>"), 400)
    routes = routes_of(request)
    item = await asyncio.to_thread(
        routes.store.add_feedback, "guide", "page", answer == "yes", page=back.strip("/")
    )
    query = urlencode({"ref": sign(routes.secret, item.id), "page": back, "helpful": answer})
    return redirect(f"/feedback/thanks?{query}", status=303)


@ROUTES.get("/feedback/thanks")
async def thanks(request: Request) -> HTTPResponse:
    """GET /feedback/thanks: thank you, and the optional comment form."""
    ref = REF.read(request.args)
    if verify(routes_of(request).secret, ref) is None:
        return html(page("Feedback", "<h1>Thank you</h1>"), 404)
    back = safe_page(PAGE.read(request.args))
    helpful = HELPFUL.choice(request.args) == "yes"
    return html(page("Thank you for your feedback", comment_form(ref, back, helpful)))


@ROUTES.post("/feedback/comment")
async def page_comment(request: Request) -> HTTPResponse:
    """POST /feedback/comment: keep the comment (if any), thank the person, link back."""
    if (refused := refused_form(request)) is not None:
        return refused
    form = request.form or {}
    routes = routes_of(request)
    feedback_id = verify(routes.secret, REF.read(form))
    back = safe_page(PAGE.read(form))
    if feedback_id is not None and (comment := COMMENT.read(form)).strip():
        await asyncio.to_thread(routes.store.set_comment, feedback_id, comment)
    body = "<h1>Thank you</h1><p>Your feedback helps the service improve these pages.</p>"
    if back:
        body += f'<p><a href="{esc(back)}">Go back to the page</a></p>'
    return html(page("Thank you", body))


def page_feedback_form(path: str) -> str:
    """'Was this page helpful?' at the foot of a guide page (two submit buttons, no JS)."""
    return (
        '<form class="page-feedback no-print" method="post" action="/feedback">'
        f'<input type="hidden" name="page" value="{esc(path)}">'
        '<fieldset class="fieldset"><legend class="fieldset__legend">Was this page helpful?'
        "</legend>"
        '<button type="submit" class="button button--secondary" name="helpful" value="yes">'
        'Yes<span class="visually-hidden">, this page was helpful</span></button>'
        '<button type="submit" class="button button--secondary" name="helpful" value="no">'
        'No<span class="visually-hidden">, this page was not helpful</span></button>'
        "</fieldset></form>"
    )
