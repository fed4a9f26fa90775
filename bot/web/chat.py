"""POST /api/session and POST /api/chat: the only way in to the assistant, with its input rules.

One turn of ``POST /api/chat``, top to bottom (each step answers instead when it refuses):
:func:`read_body` (size, type, rate per address, JSON), :func:`open_conversation` (the
sender, issued or checked, and its rate), :func:`read_turn` (the message and its id),
:func:`screen` (payloads offered, redaction), :func:`forward` (to Rasa, or the human route)
and :func:`prepare` (a handoff becomes a service-request link).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from bot.guidance import message_ids
from bot.guidance.privacy import redact
from bot.web.chatrequest import Refusal, parse_object, read_message, refuse_envelope
from bot.web.config import GatewayConfig
from bot.web.contacts import unavailable_text
from bot.web.payloads import as_text
from bot.web.ratelimit import retry_after_header
from bot.web.referral.handoff import clean_handoff
from bot.web.routes import RouteTable, bound_to
from bot.web.texts import text, texts
from bot.web.upstream import UpstreamUnavailable

log = logging.getLogger(__name__)
UNAVAILABLE_RETRY_AFTER = "30"
ROUTES = RouteTable()


def error(message: str, status: int, **headers: str) -> HTTPResponse:
    """A JSON error the widget can show."""
    return json_response({"error": message}, status=status, headers=headers or None)


def bot_reply(sender: str, message: str, status: int = 200, **extra: Any) -> HTTPResponse:
    """A reply in the shape of Rasa's REST channel, written by the gateway itself."""
    item: dict[str, Any] = {"recipient_id": sender, "text": message}
    if extra:
        item["custom"] = extra
    return json_response([item], status=status)


def create_chat_blueprint(config: GatewayConfig) -> Blueprint:
    """The chat API routes; each handler finds ``config`` with :func:`config_of`."""
    return ROUTES.blueprint("chat", config)


def config_of(request: Request) -> GatewayConfig:
    """The gateway settings the route was made with."""
    return bound_to(request)


def limit(key: str, limiter: Any) -> HTTPResponse | None:
    """The 429 to answer if ``key`` is over the limiter's rate (counting this request)."""
    wait = limiter.hit(key)
    if not wait:
        return None
    retry = retry_after_header(wait)
    return error(text("rate_limited", seconds=retry), 429, **{"Retry-After": retry})


def unavailable(request: Request, sender: str) -> HTTPResponse:
    """The 503 with the human route (phone and e-mail) when the assistant cannot answer."""
    contacts = request.app.ctx.fallback_contacts
    resp = bot_reply(sender, unavailable_text(contacts), 503, unavailable={"contacts": contacts})
    resp.headers["Retry-After"] = UNAVAILABLE_RETRY_AFTER
    return resp


async def preflight(request: Request) -> HTTPResponse:  # CORS middleware answers first
    """OPTIONS: nothing to add to what the CORS middleware says."""
    return HTTPResponse(status=204)


for _path in ("/api/chat", "/api/session", "/api/widget-config"):
    ROUTES.add(preflight, _path, "OPTIONS", name=f"preflight_{_path[5:]}")


@ROUTES.get("/api/widget-config")
async def widget_config(request: Request) -> HTTPResponse:
    """GET /api/widget-config: the widget's texts and limits."""
    config = config_of(request)
    return json_response(
        {
            "texts": texts(),
            "max_message_chars": config.max_message_chars,
            "start_payload": config.start_payload,
        },
        headers={"Cache-Control": "public, max-age=300"},
    )


@ROUTES.post("/api/session")
async def new_session(request: Request) -> HTTPResponse:
    """POST /api/session: a new conversation's sender id."""
    ctx = request.app.ctx
    for limiter in (ctx.session_limiter, ctx.ip_limiter):  # new conversations, then backstop
        if (refused := limit(request.ctx.client_ip, limiter)) is not None:
            return refused
    sender = ctx.senders.issue()
    request.ctx.sender = sender
    return json_response({"sender": sender}, status=201)


@ROUTES.post("/api/chat")
async def chat(request: Request) -> HTTPResponse:
    """POST /api/chat: one turn of the conversation (see the module's docstring)."""
    config = config_of(request)
    body = read_body(request, config)
    if isinstance(body, HTTPResponse):
        return body
    conversation = open_conversation(request, body)
    if isinstance(conversation, HTTPResponse):
        return conversation
    sender, issued = conversation
    turn = read_turn(body, sender, config)
    if isinstance(turn, HTTPResponse):
        return turn
    message, client_id = turn
    message = await screen(request, config, sender, message)
    replies = await forward(request, sender, message, client_id)
    if isinstance(replies, HTTPResponse):
        return replies
    replies = [prepare(request, m) for m in replies]
    request.app.ctx.offered.remember(sender, replies)
    resp = json_response(replies)
    if issued:
        resp.headers["X-Chat-Sender"] = sender
    return resp


def read_body(request: Request, config: GatewayConfig) -> dict[str, Any] | HTTPResponse:
    """The JSON object sent; refused if too big, not JSON, or the address is over its rate."""
    body_bytes = request.body or b""
    ctype = request.headers.get("content-type")
    if refused := refuse_envelope(len(body_bytes), ctype, config.max_body_bytes):
        return error(refused.message, refused.status)
    if (limited := limit(request.ctx.client_ip, request.app.ctx.ip_limiter)) is not None:
        return limited
    body = parse_object(body_bytes)
    if isinstance(body, Refusal):
        return error(body.message, body.status)
    return body


def open_conversation(request: Request, body: dict[str, Any]) -> tuple[str, bool] | HTTPResponse:
    """The conversation's sender and whether it was issued just now.

    No sender starts a conversation (at the new-conversation rate); a sender must be one we
    issued; either way the sender's own rate applies.
    """
    ctx = request.app.ctx
    sender = body.get("sender")
    issued = False
    if sender is None or sender == "":
        if (limited := limit(request.ctx.client_ip, ctx.session_limiter)) is not None:
            return limited
        sender, issued = ctx.senders.issue(), True
    elif not ctx.senders.well_formed(sender):
        return error("Unknown conversation. Start a new one with POST /api/session.", 400)
    elif not ctx.senders.valid(sender):
        return error("This conversation was not started here. Please start again.", 403)
    request.ctx.sender = sender
    if (limited := limit(sender, ctx.sender_limiter)) is not None:
        return limited
    return sender, issued


def read_turn(
    body: dict[str, Any], sender: str, config: GatewayConfig
) -> tuple[str, str | None] | HTTPResponse:
    """The message and the client's id for it (kept when it retries).

    A message over the length limit is answered by the gateway itself, as a bot reply.
    """
    message = read_message(body)
    if isinstance(message, Refusal):
        return error(message.message, message.status)
    client_id = body.get("message_id")
    if client_id is not None and not message_ids.well_formed(client_id):
        return error("'message_id' must be 8 to 64 letters, digits, '-' or '_'.", 400)
    if len(message) > config.max_message_chars:
        return bot_reply(
            sender,
            text(
                "message_too_long",
                max=f"{config.max_message_chars:,}",
                length=f"{len(message):,}",
            ),
            error="message_too_long",
            max_chars=config.max_message_chars,
        )
    return message, client_id


async def screen(request: Request, config: GatewayConfig, sender: str, message: str) -> str:
    """The message as Rasa may see it: only payloads we offered, personal details redacted."""
    offered = request.app.ctx.offered
    was_offered = message.startswith("/") and offered.allowed(sender, message)
    if config.strict_payloads and not offered.allowed(sender, message):
        message = as_text(message) or "hello"
    if config.redact_messages and not was_offered:
        # Names, phones, e-mails, dates and addresses never reach Rasa, its tracker
        # store or its logs; a full postcode becomes its district ("SG1 2AB" -> "SG1").
        message = await asyncio.to_thread(redact, message)  # CPU work off the loop
    return message


async def forward(
    request: Request, sender: str, message: str, client_id: str | None
) -> list[dict[str, Any]] | HTTPResponse:
    """Rasa's replies, or the human route when Rasa or the action server cannot answer."""
    ctx = request.app.ctx
    if not await ctx.action_monitor.is_up():
        return unavailable(request, sender)
    try:
        replies = await ctx.forwarder.send(sender, message, client_id)
    except UpstreamUnavailable as err:
        log.warning("assistant unavailable: %s", err)
        return unavailable(request, sender)
    if not replies and not await ctx.action_monitor.check():
        return unavailable(request, sender)
    return replies


def prepare(request: Request, message: dict[str, Any]) -> dict[str, Any]:
    """A reply as the widget gets it: a handoff becomes a link to a new service request."""
    custom = message.get("custom")
    if not (isinstance(custom, dict) and "handoff" in custom):
        return message
    store = request.app.ctx.referrals
    store.purge_expired()
    ref = store.create(clean_handoff(custom["handoff"]), sender=request.ctx.sender)
    expires = dt.datetime.fromtimestamp(ref.expires, dt.timezone.utc).isoformat()
    handoff = {
        "referral_url": f"/referral/{ref.token}",
        "expires": expires,
        "label": text("prepare_request"),
    }
    return {**message, "custom": {"handoff": handoff}}
