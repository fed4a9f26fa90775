"""POST /api/conversation/delete: "Delete my conversation" from the widget.

Deletes, at once, the conversation's events from the tracker store (through Rasa's channel,
under the conversation's turn lock: see :mod:`bot.storage.deletions`; Rasa's HTTP API stays off),
the service request drafts that came from it, and the gateway's memory of the buttons it
offered. Only the holder of the signed sender id can ask.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response
from sqlalchemy.exc import SQLAlchemyError

from bot.storage.conversations import ConversationStore, TrackerStoreConfigError, tracker_db_url
from bot.web.chatrequest import parse_object
from bot.web.config import GatewayConfig
from bot.web.ratelimit import retry_after_header
from bot.web.texts import text
from bot.web.upstream import NoInstanceReachable, UpstreamUnavailable

log = logging.getLogger(__name__)
PATH = "/api/conversation/delete"


def conversation_store(app: Any, config: GatewayConfig) -> ConversationStore:
    """The tracker store's database, opened on first use and kept on ``app.ctx``."""
    store = getattr(app.ctx, "conversations", None)
    if store is None:
        store = ConversationStore(config.tracker_db_url or tracker_db_url())
        app.ctx.conversations = store
    return store


async def delete_events(app: Any, config: GatewayConfig, sender: str) -> int:
    """Delete the conversation's events; return how many.

    Rasa deletes them under the conversation's turn lock, so a turn in progress cannot
    store its events afterwards. Only when no Rasa process is running at all (so no turn
    can be in progress) does the gateway delete from the database itself.
    """
    try:
        return await app.ctx.forwarder.forget(sender)
    except NoInstanceReachable:
        store = conversation_store(app, config)
        return await asyncio.get_running_loop().run_in_executor(None, store.delete, sender)


def create_forget_blueprint(config: GatewayConfig) -> Blueprint:
    """The delete-my-conversation route."""
    bp = Blueprint("forget")

    async def preflight(request: Request) -> HTTPResponse:
        return HTTPResponse(status=204)

    bp.add_route(preflight, PATH, methods=["OPTIONS"], name="preflight_forget")

    @bp.post(PATH)
    async def delete_conversation(request: Request) -> HTTPResponse:
        ctx = request.app.ctx
        if len(request.body or b"") > config.max_body_bytes:
            return json_response({"error": text("delete_failed")}, status=413)
        if wait := ctx.ip_limiter.hit(request.ctx.client_ip):
            retry = retry_after_header(wait)
            return json_response(
                {"error": text("rate_limited", seconds=retry)},
                status=429,
                headers={"Retry-After": retry},
            )
        body = parse_object(request.body or b"")
        sender = body.get("sender") if isinstance(body, dict) else None
        if not ctx.senders.well_formed(sender):
            return json_response({"error": "Send the conversation's 'sender' id."}, status=400)
        if not ctx.senders.valid(sender):
            return json_response({"error": "This conversation was not started here."}, 403)
        request.ctx.sender = sender
        try:
            events = await delete_events(request.app, config, cast(str, sender))  # well_formed
        except (UpstreamUnavailable, SQLAlchemyError, TrackerStoreConfigError, OSError) as err:
            log.error("could not delete a conversation: %s", type(err).__name__)
            return json_response({"error": text("delete_failed")}, status=503)
        drafts = ctx.referrals.delete_for_sender(sender)
        ctx.offered.forget(sender)
        log.info("deleted a conversation on request: %d events, %d drafts", events, drafts)
        return json_response(
            {"deleted": True, "events": events, "referrals": drafts, "message": text("delete_done")}
        )

    return bp
