"""POST /api/session and POST /api/chat: the only way in to the assistant, with its input rules."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from bot.guidance.privacy import redact
from bot.web.chatrequest import Refusal, parse_object, read_message, refuse_envelope
from bot.web.config import GatewayConfig
from bot.web.contacts import unavailable_text
from bot.web.payloads import as_text
from bot.web.ratelimit import retry_after_header
from bot.web.referral.handoff import clean_handoff
from bot.web.texts import text, texts
from bot.web.upstream import CLIENT_MESSAGE_ID, UpstreamUnavailable

log = logging.getLogger(__name__)
UNAVAILABLE_RETRY_AFTER = "30"


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
    """The chat API routes."""
    bp = Blueprint("chat")

    def limit(key: str, limiter: Any) -> HTTPResponse | None:
        wait = limiter.hit(key)
        if not wait:
            return None
        retry = retry_after_header(wait)
        return error(text("rate_limited", seconds=retry), 429, **{"Retry-After": retry})

    def unavailable(request: Request, sender: str) -> HTTPResponse:
        contacts = request.app.ctx.fallback_contacts
        resp = bot_reply(
            sender, unavailable_text(contacts), 503, unavailable={"contacts": contacts}
        )
        resp.headers["Retry-After"] = UNAVAILABLE_RETRY_AFTER
        return resp

    async def preflight(request: Request) -> HTTPResponse:  # CORS middleware answers first
        return HTTPResponse(status=204)

    for path in ("/api/chat", "/api/session", "/api/widget-config"):
        bp.add_route(preflight, path, methods=["OPTIONS"], name=f"preflight_{path[5:]}")

    @bp.get("/api/widget-config")
    async def widget_config(request: Request) -> HTTPResponse:
        return json_response(
            {
                "texts": texts(),
                "max_message_chars": config.max_message_chars,
                "start_payload": config.start_payload,
            },
            headers={"Cache-Control": "public, max-age=300"},
        )

    @bp.post("/api/session")
    async def new_session(request: Request) -> HTTPResponse:
        ctx = request.app.ctx
        for limiter in (ctx.session_limiter, ctx.ip_limiter):  # new conversations, then backstop
            if (refused := limit(request.ctx.client_ip, limiter)) is not None:
                return refused
        sender = request.app.ctx.senders.issue()
        request.ctx.sender = sender
        return json_response({"sender": sender}, status=201)

    @bp.post("/api/chat")
    async def chat(request: Request) -> HTTPResponse:
        ctx = request.app.ctx
        body_bytes = request.body or b""
        ctype = request.headers.get("content-type")
        if refused := refuse_envelope(len(body_bytes), ctype, config.max_body_bytes):
            return error(refused.message, refused.status)
        if (limited := limit(request.ctx.client_ip, ctx.ip_limiter)) is not None:
            return limited
        body = parse_object(body_bytes)
        if isinstance(body, Refusal):
            return error(body.message, body.status)

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

        message = read_message(body)
        if isinstance(message, Refusal):
            return error(message.message, message.status)
        client_id = body.get("message_id")
        if client_id is not None and not (
            isinstance(client_id, str) and CLIENT_MESSAGE_ID.match(client_id)
        ):
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
        offered = message.startswith("/") and ctx.offered.allowed(sender, message)
        if config.strict_payloads and not ctx.offered.allowed(sender, message):
            message = as_text(message) or "hello"
        if config.redact_messages and not offered:
            # Names, phones, e-mails, dates and addresses never reach Rasa, its tracker
            # store or its logs; a full postcode becomes its district ("SG1 2AB" -> "SG1").
            message = await asyncio.to_thread(redact, message)  # CPU work off the loop

        if not await ctx.action_monitor.is_up():
            return unavailable(request, sender)
        try:
            messages = await ctx.forwarder.send(sender, message, client_id)
        except UpstreamUnavailable as err:
            log.warning("assistant unavailable: %s", err)
            return unavailable(request, sender)
        if not messages and not await ctx.action_monitor.check():
            return unavailable(request, sender)

        messages = [prepare(request, m) for m in messages]
        ctx.offered.remember(sender, messages)
        resp = json_response(messages)
        if issued:
            resp.headers["X-Chat-Sender"] = sender
        return resp

    def prepare(request: Request, message: dict[str, Any]) -> dict[str, Any]:
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

    return bp
