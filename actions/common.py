"""Small helpers shared by the actions: content access and sending replies."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance.content import load_content
from bot.guidance.content.schema import Content
from bot.guidance.facts import read_facts
from bot.guidance.form_answers import CHECK_SLOTS, Message, area_keywords, fact_values
from bot.guidance.replies import Reply


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


def check_answers(tracker: Tracker) -> dict[str, Any]:
    """Every slot of the "Can I refer?" check, as it stands."""
    return {slot: tracker.get_slot(slot) for slot in CHECK_SLOTS}


def remember_facts(tracker: Tracker) -> list[EventType]:
    """Keep what a message outside the check says about the child or the person asking.

    The check then asks only what is still unknown. Only a message about one particular
    child counts ("my son is 3", not "can a 3 year old be referred?"). After a finished
    check its answers stay as they were (for the summary and corrections), and what is said
    is kept for the next check instead (``next_check``). Everything lives in slots, so it
    does not depend on how much of the conversation is read back.
    """
    text = latest_message(tracker).text
    if not text or text.startswith("/"):
        return []
    facts = read_facts(text, area_keywords(content()), about_a_child=True)
    if not tracker.get_slot("referral_outcome"):
        return [SlotSet(k, v) for k, v in fact_values(facts, check_answers(tracker)).items()]
    pending = dict(tracker.get_slot(NEXT_CHECK) or {})
    new = fact_values(facts, pending)
    return [SlotSet(NEXT_CHECK, {**pending, **new})] if new else []


NEXT_CHECK = "next_check"
