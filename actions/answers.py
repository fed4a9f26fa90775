"""Actions that answer questions from the council's content."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    check_answers,
    content,
    in_form,
    latest_message,
    remember_facts,
    send,
)
from actions.dspl import AREAS_SHOWN
from actions.referral import WHY_SHOWN
from actions.support_groups import GROUPS_SHOWN, ActionListSupportGroups, more_groups_left
from bot.guidance import dspl as dspl_lookup
from bot.guidance.facts import mentions_another_child, read_facts
from bot.guidance.form_answers import area_keywords, fact_values
from bot.guidance.languages import fixed_reply
from bot.guidance.parsing import describe_age
from bot.guidance.postcodes import PostcodeClient, live_lookup_enabled
from bot.guidance.referral import QUESTION_ORDER, Answers, assess
from bot.guidance.replies import (
    AREAS_PER_PAGE,
    CHECK_BUTTON,
    GROUP_TOPIC,
    PERSON_BUTTON,
    Reply,
    areas_reply,
    button,
    dspl_reply,
    group_reply,
    human_route_reply,
    more_text,
    need_line,
    no_dspl_reply,
    outcome_reply,
    safeguarding_reply,
    tell_more_button,
    topic_text,
    why_reply,
)
from bot.guidance.search import focus, suggestions
from bot.guidance.topics import BY_INTENT, TASK_INTENTS, looks_like_question, topic_for


class ActionAnswerTopic(Action):
    """Answer a question about the service from the content file."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        message = latest_message(tracker)
        if not in_form(tracker) and not looks_like_question(message.text):
            updated = update_outcome(dispatcher, tracker)
            if updated is not None:
                return updated
        events = remember_facts(tracker)
        if message.intent == "find_dspl":
            quick_local_answer(dispatcher, message.text)
            return events
        if message.intent in TASK_INTENTS:
            dispatcher.utter_message(response=f"utter_in_form_{message.intent}")
            return events
        keys = topic_for(
            message.intent or "", message.text, data, tracker.get_slot("requester_role")
        )
        if not keys:
            send(dispatcher, human_route_reply(data))
            return events
        question = BY_INTENT[message.intent or ""]
        form = in_form(tracker)
        for index, key in enumerate(keys):
            topic = data.topics[key]
            extra = _need_line(message.text) if key == "need_covered" else None
            if topic.more and not extra:
                extra = focus(message.text, topic.more, data)  # the detail asked about
            buttons: list[dict[str, str]] = []
            if index == len(keys) - 1 and not form:
                if topic.more:
                    buttons.append(tell_more_button(key))
                if question.offer_check and key != "over_age":
                    buttons.append(button(*CHECK_BUTTON))
                buttons.append(button(*PERSON_BUTTON))
            send(dispatcher, Reply(text=topic_text(data, topic, extra), buttons=buttons))
        return [*events, SlotSet("last_shown", keys[-1])]


def _need_line(text: str) -> str | None:
    """The sentence saying which area of need a named need or condition comes under."""
    data = content()
    facts = read_facts(text, area_keywords(data))
    if not facts.concerns:
        return None
    need = facts.diagnoses[0] if facts.diagnoses else _named_need(text, facts.concerns)
    return need_line(data, need, facts.concerns) if need else None


def _named_need(text: str, areas: list[str]) -> str | None:
    lowered = text.lower()
    for area in content().eligibility.areas_of_need:
        if area.key in areas:
            for word in sorted(area.keywords, key=len, reverse=True):
                if word.lower() in lowered and len(word) > 3:
                    return word
    return None


class ActionShowMore(Action):
    """"Show more" / "Tell me more": the next support groups, or the rest of an answer."""

    def name(self) -> str:
        return "action_show_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        asked = next(tracker.get_latest_entity_values("topic"), None)
        shown = asked or tracker.get_slot("last_shown")
        if shown == GROUPS_SHOWN:
            return await ActionListSupportGroups().run(dispatcher, tracker, domain)
        if shown and shown.startswith(GROUP_TOPIC):
            details = group_reply(data, shown, more_left=more_groups_left(tracker))
            if details is not None:
                send(dispatcher, details)
                return []
        if shown == AREAS_SHOWN and data.dspl is not None:
            offset = int(tracker.get_slot("areas_offset") or 0)
            send(dispatcher, areas_reply(data, offset))
            return [SlotSet("areas_offset", float(offset + AREAS_PER_PAGE))]
        if shown == WHY_SHOWN and tracker.get_slot("referral_outcome"):
            assessment = assess(Answers.from_slots(check_answers(tracker)), data)
            send(dispatcher, why_reply(data, assessment))
            return []
        topic = data.topics.get(shown or "")
        if topic is None or not topic.more:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        buttons = [] if in_form(tracker) else [button(*CHECK_BUTTON), button(*PERSON_BUTTON)]
        send(dispatcher, Reply(text=more_text(data, topic), buttons=buttons))
        return []


def quick_local_answer(dispatcher: CollectingDispatcher, text: str) -> None:
    """Mid-form, answer 'which DSPL is X in?' in one go, then the form resumes."""
    data = content()
    if data.dspl is None:
        send(dispatcher, no_dspl_reply(data))
        return
    client = PostcodeClient() if live_lookup_enabled() else None
    result = dspl_lookup.lookup(text, data.dspl, client)
    if result.settled:
        send(dispatcher, Reply(text=dspl_reply(data, result).text))
        return
    dispatcher.utter_message(response="utter_in_form_find_dspl")


class ActionContactPerson(Action):
    """Give the ways to reach a person."""

    def name(self) -> str:
        return "action_contact_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        send(dispatcher, human_route_reply(content()))
        return remember_facts(tracker)


class ActionSafeguarding(Action):
    """Signpost 999 and Children's Services first, whatever else is going on."""

    def name(self) -> str:
        return "action_safeguarding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        send(dispatcher, safeguarding_reply(content(), in_form=in_form(tracker)))
        return []


class ActionOtherLanguage(Action):
    """A message in another language: one fixed reply in that language."""

    def name(self) -> str:
        return "action_other_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = (tracker.latest_message or {}).get("language") or ""
        reply = fixed_reply(language)
        dispatcher.utter_message(json_message=reply)
        return []


class ActionFallback(Action):
    """Not understood: offer the nearest topics, then a person; a bare 'Sorry' only as last."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        text = latest_message(tracker).text
        events = remember_facts(tracker)
        if data.dspl is not None and text and not text.startswith("/"):
            result = dspl_lookup.lookup(text, data.dspl)
            if result.settled:
                send(dispatcher, dspl_reply(data, result))
                return [*events, SlotSet("dspl_result", result.to_slot())]
        if consecutive_misses(tracker.events) >= 2:
            reply = human_route_reply(data)
            dispatcher.utter_message(response="utter_still_not_understood")
            send(dispatcher, reply)
            return events
        options = suggestions(text, data) if text and not text.startswith("/") else []
        if options:
            buttons = [button(title, payload) for title, payload in options]
            dispatcher.utter_message(response="utter_did_you_mean",
                                     buttons=[*buttons, button(*PERSON_BUTTON)])
            return events
        dispatcher.utter_message(response="utter_not_understood")
        return events


def update_outcome(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """After an outcome, a message that changes an answer ("actually she's 4", "the
    nursery has done an IEP") gives the updated outcome; None when it changes nothing."""
    data = content()
    message = latest_message(tracker)
    if (not tracker.get_slot("referral_outcome") or message.text.startswith("/")
            or mentions_another_child(message.text)):
        return None
    known = check_answers(tracker)
    facts = read_facts(message.text, area_keywords(data))
    changes = {k: v for k, v in fact_values(facts, known).items() if k in QUESTION_ORDER}
    if not changes:
        return None
    assessment = assess(Answers.from_slots({**known, **changes}), data)
    if "child_age_months" in changes:
        age = describe_age(int(changes["child_age_months"]))
        dispatcher.utter_message(response="utter_age_changed", age=age)
    else:
        dispatcher.utter_message(response="utter_updated")
    send(dispatcher, outcome_reply(data, assessment))
    return [*(SlotSet(k, v) for k, v in changes.items()),
            SlotSet("referral_outcome", assessment.outcome), SlotSet("last_shown", WHY_SHOWN)]


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
    """Take an answer given outside the check ("actually she's 4", "Hitchin")."""

    def name(self) -> str:
        return "action_handle_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        message = latest_message(tracker)
        updated = update_outcome(dispatcher, tracker)
        if updated is not None:
            return updated
        if data.dspl is not None:
            result = dspl_lookup.lookup(message.text, data.dspl)
            if result.settled:
                send(dispatcher, dspl_reply(data, result))
                return [SlotSet("dspl_result", result.to_slot())]
        remembered = remember_facts(tracker)
        if remembered:
            dispatcher.utter_message(response="utter_offer_check")
            return remembered
        dispatcher.utter_message(response="utter_help")
        return []
