"""Rasa's REST channel, answering 503 when a turn could not be handled properly.

Listed in the credentials file as ``bot.rasa_plugins.channel.GuardedRestInput``; it keeps
the URL ``/webhooks/rest/webhook`` and the reply format of the stock channel, and adds
``/webhooks/rest/forget``: "delete my conversation", under the conversation's turn lock
(:mod:`bot.storage.deletions`). Rasa listens on loopback only, and only the gateway calls it.
The stock channel answers 200 whatever happens: with a blank conversation when
the database is down, without the action's answer when the action server is down,
and with ``[]`` when anything raises. This one answers 503 in those cases, so the
gateway shows the person the phone and e-mail route. A turn whose custom action
failed stays in the tracker as a step with no effect (the form keeps asking the
same question), so the conversation continues from where it was once the action
server is back. (Rewinding it with ``UserUtteranceReverted`` was tried and made
the rule policy fall back on the next turn.)

Messages may carry ``metadata.message_id`` (the gateway sets one per message and keeps
it when it retries on another instance, adding ``metadata.retry: true``). A retried
message whose id is already in the conversation is answered from the stored turn
instead of being handled twice; a first attempt is not looked up, which saves reading
the conversation twice on every turn.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.guidance import message_ids
from bot.guidance.message_ids import MESSAGE_ID
from bot.guidance.message_ids import parse as message_id_of
from bot.rasa_plugins import turn_failures

log = logging.getLogger(__name__)

MAX_SENDER_CHARS = 255  # the events table's sender_id column
LOCK_POLL_SECONDS = 0.05  # how often a deletion looks whether the turn in progress is done
_REPLY_KEYS = ("buttons", "image", "custom", "attachment", "elements", "quick_replies")


def replies_after(events: Iterable[dict[str, Any]], message_id: str, sender: str):  # noqa: ANN201
    """The replies already given to the user message with this id, or None if never handled.

    Used when the same message arrives again (the gateway retried it on another instance
    because the first one died after storing the turn but before answering).
    """
    found: list[dict[str, Any]] | None = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            if found is not None:
                break
            if message_id_of(event.get("metadata")) == message_id:
                found = []
        elif kind == "bot" and found is not None:
            reply: dict[str, Any] = {"recipient_id": sender}
            if event.get("text"):
                reply["text"] = event["text"]
            data = event.get("data") or {}
            reply.update({k: data[k] for k in _REPLY_KEYS if data.get(k)})
            found.append(reply)
    return found


def is_retry(request: Request) -> bool:
    """True when the sender says this message may have been handled already (a retry)."""
    body = request.json if isinstance(request.json, dict) else {}
    return message_ids.is_retry(body.get("metadata"))


def unavailable(reasons: list[str]) -> HTTPResponse:
    """The 503 the gateway turns into the human-route message."""
    return response.json(
        {"error": "The assistant could not handle this message.", "reasons": sorted(set(reasons))},
        status=503,
        headers={"Retry-After": "30"},
    )


def own_store(agent: Any) -> Any:
    """The tracker store inside Rasa's fail-safe wrapper."""
    store = agent.tracker_store
    return getattr(store, "_tracker_store", store)


async def forget_conversation(agent: Any, sender_id: Any) -> HTTPResponse:
    """Delete a conversation under its turn lock (``POST /webhooks/rest/forget``).

    The lock is the one every turn of the conversation takes, so a turn in progress
    finishes (and stores its events) first, and the deletion then removes those too.
    """
    if not isinstance(sender_id, str) or not 0 < len(sender_id) <= MAX_SENDER_CHARS:
        return response.json({"error": "Send the conversation's 'sender'."}, status=400)
    store = own_store(agent)
    if not callable(getattr(store, "forget", None)):
        return response.json({"error": "This tracker store cannot delete."}, status=501)
    try:
        async with agent.lock_store.lock(sender_id, wait_time_in_seconds=LOCK_POLL_SECONDS):
            events = store.forget(sender_id)
    except Exception as err:  # database or lock store down: the gateway says "try later"
        log.error("could not delete a conversation: %s", type(err).__name__)
        return unavailable([type(err).__name__])
    log.info("deleted a conversation on request: %d events", events)
    return response.json({"deleted": True, "events": events})


class GuardedRestInput(RestInput):
    """The REST channel, with faults inside the turn reported as HTTP 503."""

    @classmethod
    def name(cls) -> str:
        """Same URL as the stock channel: /webhooks/rest/webhook."""
        return "rest"

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """Only the idempotency key is kept from the request's metadata."""
        body = request.json if isinstance(request.json, dict) else {}
        key = message_id_of(body.get("metadata"))
        return {MESSAGE_ID: key} if key else None

    @staticmethod
    async def already_answered(agent: Any, sender_id: str, key: str) -> list[dict] | None:
        """The replies to a message that was handled before (a retry), else None."""
        try:
            async with agent.lock_store.lock(sender_id):
                tracker = await agent.tracker_store.retrieve(sender_id)
        except Exception as err:  # the turn itself will meet the same fault and say so
            log.warning("could not check for a repeated message: %s", type(err).__name__)
            return None
        if tracker is None:
            return None
        return replies_after((e.as_dict() for e in tracker.events), key, sender_id)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """GET / (health), POST /webhook (one message, JSON list of replies), POST /forget."""
        bp = Blueprint("guarded_rest_webhook", __name__)

        @bp.get("/")
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.post("/forget")
        async def forget(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            return await forget_conversation(request.app.ctx.agent, body.get("sender"))

        @bp.post("/webhook")
        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            if not isinstance(sender_id, str) or not sender_id or not isinstance(text, str):
                return response.json({"error": "Send 'sender' and 'message'."}, status=400)
            metadata = self.get_metadata(request)
            if metadata and is_retry(request):
                agent = request.app.ctx.agent
                done = await self.already_answered(agent, sender_id, metadata[MESSAGE_ID])
                if done is not None:
                    log.info("repeated message: answering from the stored turn")
                    return response.json(done)
            collector = CollectingOutputChannel()
            message = UserMessage(
                text,
                collector,
                sender_id,
                input_channel=self._extract_input_channel(request),
                metadata=metadata,
            )
            with turn_failures.collecting() as failures:
                try:
                    await on_new_message(message)
                except Exception as err:  # lock store down, or anything else unexpected
                    log.error("turn failed: %s", type(err).__name__)
                    failures.append(type(err).__name__)
            if not failures:
                return response.json(collector.messages)
            log.warning("answering 503 for a turn with faults: %s", sorted(set(failures)))
            return unavailable(failures)

        return bp
