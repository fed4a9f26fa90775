"""A scripted conversation played into our tracker store, turn by turn as Rasa plays it, beside
a reference tracker that keeps every event (the tracker store tests compare the two)."""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import internals
from tests.helpers import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
SENDER = "long-conversation"
STORE_TYPE = "bot.rasa_plugins.tracker_store.RedactingSQLTrackerStore"


def redacting_store(**settings: Any) -> TrackerStore:
    """Our tracker store, configured as endpoints.yml would with ``settings``, with Rasa's
    overrides installed first, as each Rasa process does at start-up."""
    internals.install()
    return TrackerStore.create(EndpointConfig(type=STORE_TYPE, **settings), DOMAIN)


def user(text: str, intent: str) -> UserUttered:
    """What the person said, already understood as ``intent``."""
    parsed = {"name": intent, "confidence": 1.0}
    return UserUttered(text, intent=parsed, parse_data={"text": text, "intent": parsed})


def turn(number: int) -> list[Event]:
    """One turn of a scripted conversation: the form opens, answers, a question, a stop."""
    kind = number % 5
    if kind == 0:
        return [
            user("can I refer my child", "check_referral"),
            ActionExecuted("utter_referral_intro"),
            ActionExecuted("referral_form"),
            ActiveLoop("referral_form"),
            SlotSet("requested_slot", "requester_role"),
            ActionExecuted("action_listen"),
        ]
    if kind == 1:
        return [
            user("I'm her mum", "inform"),
            ActionExecuted("referral_form"),
            SlotSet("requester_role", "parent"),
            SlotSet("requested_slot", "child_age_months"),
            BotUttered("How old is the child?"),
            ActionExecuted("action_listen"),
        ]
    if kind == 2:
        return [
            user(f"she is {number % 4 + 1}", "inform"),
            ActionExecuted("referral_form"),
            SlotSet("child_age_months", 12 * (number % 4 + 1)),
            SlotSet("requested_slot", "attends_setting"),
            ActionExecuted("action_listen"),
        ]
    if kind == 3:
        return [
            user("what evidence do I need", "ask_evidence"),
            ActionExecuted("action_answer_topic"),
            BotUttered("You need ..."),
            ActionExecuted("referral_form"),
            ActionExecuted("action_listen"),
        ]
    return [
        user("stop", "stop"),
        ActionExecuted("action_deactivate_loop"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        ActionExecuted("utter_referral_stopped"),
        ActionExecuted("action_listen"),
    ]


async def play(store: TrackerStore, reference: DialogueStateTracker, turns: int) -> None:
    """Each turn as Rasa does it: read the conversation, add the turn's events, save."""
    for number in range(turns):
        tracker = await store.get_or_create_tracker(SENDER)
        for event in turn(number):
            tracker.update(event)
            reference.update(event)
        await store.save(tracker)


def fresh_reference() -> DialogueStateTracker:
    """The reference tracker before the first turn."""
    reference = DialogueStateTracker(SENDER, DOMAIN.slots)
    reference.update(ActionExecuted("action_listen"))
    return reference
