"""The 'Can I refer?' form: validation, its outcome, and the handoff summary."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import REFERRAL_SLOTS
from actions.common import content, latest_message, send, user_just_answered
from bot.form_answers import AGE_UNKNOWN_HINT, RETRY_HINTS, Message, read_answers, read_opening
from bot.parsing import describe_age
from bot.referral import Answers, assess, handoff_payload, questions_needed
from bot.replies import Reply, button, handoff_text, outcome_reply


def _answers(tracker: Tracker) -> Answers:
    return Answers.from_slots({slot: tracker.get_slot(slot) for slot in REFERRAL_SLOTS})


class ValidateReferralForm(FormValidationAction):
    """Reads each answer from free text or buttons and decides what to ask next."""

    def name(self) -> str:
        return "validate_referral_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        """Only the questions this person needs, given their answers so far."""
        return questions_needed(_answers(tracker), content())

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Read the requested answer (and any correction) from the latest message."""
        requested = tracker.get_slot("requested_slot")
        message = latest_message(tracker)
        if not user_just_answered(tracker):
            if requested is None:
                return _fresh_start(message, tracker)
            return []
        filled = {slot: tracker.get_slot(slot) for slot in REFERRAL_SLOTS}
        reading = read_answers(requested, message, filled, content())
        if reading.skip:
            return []
        events: list[EventType] = [SlotSet(k, v) for k, v in reading.values.items()]
        if "child_age_months" in reading.values and requested != "child_age_months":
            age = describe_age(int(reading.values["child_age_months"]))
            dispatcher.utter_message(text=f"Thanks, I've changed the age to {age}.")
        if requested and not reading.answered:
            corrected = bool(reading.values)
            hint = None if corrected else RETRY_HINTS.get(requested)
            if requested == "child_age_months" and message.intent == "dont_know":
                hint = AGE_UNKNOWN_HINT
            if hint:
                dispatcher.utter_message(text=hint)
            events.append(SlotSet(requested, None))
        return events


def _fresh_start(message: Message, tracker: Tracker) -> list[EventType]:
    """Starting the check: forget old answers, keep what the opening message says."""
    events: list[EventType] = [
        SlotSet(slot, None) for slot in REFERRAL_SLOTS if tracker.get_slot(slot) is not None
    ]
    events.append(SlotSet("referral_outcome", None))
    if message.intent == "check_referral" or message.choice is None:
        for slot, value in read_opening(message.text).items():
            events.append(SlotSet(slot, value))
    return events


class ActionAskConcernAreas(Action):
    """Ask what the worries are about, with the council's areas of need as buttons."""

    def name(self) -> str:
        return "action_ask_concern_areas"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        areas = content().eligibility.areas_of_need
        buttons = [button(area.label, f'/inform{{"choice":"{area.key}"}}') for area in areas]
        buttons.append(button("Not sure", '/inform{"choice":"unsure"}'))
        who = "your child" if tracker.get_slot("requester_role") == "parent" else "the child"
        dispatcher.utter_message(
            text=f"What are the main worries about {who}? Choose one, or describe them in "
            "your own words (you can mention more than one).",
            buttons=buttons,
        )
        return []


class ActionReferralOutcome(Action):
    """Give the outcome of the check with its reasons, and offer a summary."""

    def name(self) -> str:
        return "action_referral_outcome"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        assessment = assess(_answers(tracker), data)
        send(dispatcher, outcome_reply(data, assessment))
        if data.referral.outcomes[assessment.outcome].offer_handoff:
            send(
                dispatcher,
                Reply(
                    text="Would you like a summary of your answers to help with the "
                    f"{data.referral.form_name}? It doesn't include any names.",
                    buttons=[
                        button("Yes, please", "/affirm"),
                        button("No, thanks", "/deny"),
                    ],
                ),
            )
        else:
            dispatcher.utter_message(response="utter_anything_else")
        return [SlotSet("referral_outcome", assessment.outcome)]


class ActionHandoff(Action):
    """Send the summary as text and as a structured payload for the web page."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        answers = _answers(tracker)
        if answers.child_age_months is None or answers.requester_role is None:
            dispatcher.utter_message(
                text="To prepare a summary I need a few answers first. It takes about a "
                "minute and I won't ask for any names.",
                buttons=[button("Start: Can I refer?", "/check_referral")],
            )
            return []
        assessment = assess(answers, data)
        payload = handoff_payload(answers, assessment, data, tracker.get_slot("dspl_area"))
        send(dispatcher, Reply(text=handoff_text(payload)))
        send(dispatcher, Reply(custom={"handoff": payload}))
        return [SlotSet("referral_outcome", assessment.outcome)]
