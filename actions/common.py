"""Small helpers shared by the actions: content access and sending replies."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content import load_content
from bot.content.schema import Content
from bot.form_answers import Message
from bot.replies import Reply


def content() -> Content:
    """The council's content (validated and cached at start-up)."""
    return load_content()


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Send a Reply as one message (text and buttons, or a custom payload)."""
    kwargs: dict[str, Any] = {}
    if reply.text:
        kwargs["text"] = reply.text
    if reply.buttons:
        kwargs["buttons"] = reply.buttons
    if reply.custom is not None:
        kwargs["json_message"] = reply.custom
    dispatcher.utter_message(**kwargs)


def latest_message(tracker: Tracker) -> Message:
    """The latest user message as the bot's form logic sees it."""
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    return Message(
        text=latest.get("text") or "",
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        choice=next(tracker.get_latest_entity_values("choice"), None),
    )


def in_form(tracker: Tracker) -> bool:
    """True while a form (the referral check or the DSPL lookup) is active."""
    return bool((tracker.active_loop or {}).get("name"))


_NOT_A_REPLY = {"action_listen", "action_extract_slots"}


def user_just_answered(tracker: Tracker) -> bool:
    """True when the form runs straight after the user spoke (not on resuming).

    Rasa runs the form's validation on a copy of the tracker that ends with the
    form's own action; anything else run since the user's message (an answer to
    a question, the form's opening words) means this is not an answer turn.
    """
    form = (tracker.active_loop or {}).get("name")
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action" and event.get("name") not in _NOT_A_REPLY | {form}:
            return False
    return False
