"""Actions that answer questions from the council's content."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, in_form, latest_message, send
from bot import dspl as dspl_lookup
from bot.parsing import parse_age_months
from bot.postcodes import PostcodeClient, live_lookup_enabled
from bot.referral import Answers, assess
from bot.replies import (
    MENU_BUTTONS,
    Reply,
    button,
    dspl_reply,
    human_route_reply,
    outcome_reply,
    safeguarding_reply,
    topic_text,
)
from bot.topics import IN_FORM_NOTES, asks_what_dspl_is, topic_for

REFERRAL_SLOTS = (
    "requester_role",
    "child_age_months",
    "attends_setting",
    "concern_areas",
    "setting_support_tried",
    "parental_consent",
)


class ActionAnswerTopic(Action):
    """Answer a question about the service from the content file."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        message = latest_message(tracker)
        if message.intent in IN_FORM_NOTES:
            dispatcher.utter_message(text=IN_FORM_NOTES[message.intent])
            return []
        if message.intent == "find_dspl":
            return quick_local_answer(dispatcher, message.text)
        keys = topic_for(
            message.intent or "", message.text, data, tracker.get_slot("requester_role")
        )
        if not keys:
            send(dispatcher, human_route_reply(data))
            return []
        for index, key in enumerate(keys):
            topic = data.topics[key]
            last = index == len(keys) - 1
            buttons = [] if in_form(tracker) or not last else _follow_ups(key)
            send(dispatcher, Reply(text=topic_text(data, topic), buttons=buttons))
        return []


def _follow_ups(topic_key: str) -> list[dict[str, str]]:
    if topic_key in ("out_of_scope", "about_assistant"):
        return MENU_BUTTONS
    if topic_key in ("over_age",):
        return [button("Talk to a person", "/request_human")]
    return [
        button("Can I refer?", "/check_referral"),
        button("Talk to a person", "/request_human"),
    ]


def quick_local_answer(dispatcher: CollectingDispatcher, text: str) -> list[EventType]:
    """Mid-form, answer 'which DSPL is X in?' in one go, then the form resumes."""
    data = content()
    if data.dspl is None:
        send(dispatcher, Reply(text=topic_text(data, data.no_dspl)))  # type: ignore[arg-type]
        return []
    if asks_what_dspl_is(text):
        send(dispatcher, Reply(text=data.dspl.intro.strip()))
        return []
    client = PostcodeClient() if live_lookup_enabled() else None
    result = dspl_lookup.lookup(text, data.dspl, client)
    if result.status in ("found", "uncertain", "outside"):
        reply = dspl_reply(data, result)
        send(dispatcher, Reply(text=reply.text))
        return []
    send(
        dispatcher,
        Reply(text="I can look up your DSPL area or support groups once we've finished "
                   "these questions."),
    )
    return []


class ActionContactPerson(Action):
    """Give the ways to reach a person."""

    def name(self) -> str:
        return "action_contact_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        send(dispatcher, human_route_reply(content()))
        return []


class ActionSafeguarding(Action):
    """Signpost 999 and Children's Services first, whatever else is going on."""

    def name(self) -> str:
        return "action_safeguarding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        send(dispatcher, safeguarding_reply(content(), in_form=in_form(tracker)))
        return []


class ActionFallback(Action):
    """Ask to rephrase; after two misses in a row, offer a person."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        text = latest_message(tracker).text
        if data.dspl is not None and text and not text.startswith("/"):
            result = dspl_lookup.lookup(text, data.dspl)
            if result.status in ("found", "uncertain", "outside"):
                send(dispatcher, dspl_reply(data, result))
                return [SlotSet("dspl_result", result.to_slot())]
        if consecutive_misses(tracker.events) >= 2:
            reply = human_route_reply(data)
            reply.text = (
                "I'm sorry, I'm still not understanding. You may prefer to talk to a "
                "person:\n\n" + (reply.text or "")
            )
            send(dispatcher, reply)
            return []
        dispatcher.utter_message(
            text="Sorry, I didn't understand that. Could you say it another way? "
            "Or choose one of these:",
            buttons=MENU_BUTTONS,
        )
        return []


def consecutive_misses(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages in a row were not understood."""
    misses = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != "nlu_fallback":
            break
        misses += 1
    return misses


class ActionHandleInform(Action):
    """Take an answer given outside the check (e.g. "actually she's 4")."""

    def name(self) -> str:
        return "action_handle_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        message = latest_message(tracker)
        age = parse_age_months(message.text, strict=True)
        if age is not None and tracker.get_slot("referral_outcome"):
            slots = {slot: tracker.get_slot(slot) for slot in REFERRAL_SLOTS}
            slots["child_age_months"] = float(age)
            assessment = assess(Answers.from_slots(slots), data)
            dispatcher.utter_message(text="Thanks, I've updated the age.")
            send(dispatcher, outcome_reply(data, assessment))
            return [
                SlotSet("child_age_months", float(age)),
                SlotSet("referral_outcome", assessment.outcome),
            ]
        if data.dspl is not None:
            result = dspl_lookup.lookup(message.text, data.dspl)
            if result.status in ("found", "uncertain", "outside"):
                send(dispatcher, dspl_reply(data, result))
                return [SlotSet("dspl_result", result.to_slot())]
        dispatcher.utter_message(response="utter_help")
        return []
