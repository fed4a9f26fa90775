"""The 'Can I refer?' check: its opening, validation, outcome and the handoff summary."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    NEXT_CHECK,
    check_answers,
    content,
    latest_message,
    send,
    user_just_answered,
)
from actions.forms import ReadingFormValidation
from bot.guidance.form_answers import CHECK_SLOTS, is_interruption, opening_values, read_turn
from bot.guidance.referral import Answers, assess, handoff_payload, questions_left, questions_needed
from bot.guidance.replies import (
    Reply,
    concern_buttons,
    handoff_text,
    noted_lines,
    outcome_reply,
)

OUTCOME_ACTION = "action_referral_outcome"
WHY_SHOWN = "why"  # last_shown after an outcome: "Tell me more" gives the reasons


def _answers(tracker: Tracker) -> Answers:
    return Answers.from_slots(check_answers(tracker))


class ActionStartCheck(Action):
    """Start the check with what the person has already said, and say what was noted.

    After an earlier check's outcome it starts afresh (another child, perhaps) with what
    was said since (``next_check``); otherwise it keeps what the conversation has told it.
    """

    def name(self) -> str:
        return "action_start_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        restart = bool(tracker.get_slot("referral_outcome"))
        known = dict(tracker.get_slot(NEXT_CHECK) or {}) if restart else check_answers(tracker)
        known = {k: v for k, v in known.items() if v is not None}
        opening = latest_message(tracker).text
        values = {**known, **opening_values([opening] if opening[:1] != "/" else [], data,
                                            known)}
        values.pop("referral_outcome", None)
        values.pop("check_retries", None)
        answers = Answers.from_slots(values)
        left = questions_left(answers, data)
        noted = noted_lines(answers, data)
        if noted and not left:
            dispatcher.utter_message(response="utter_check_intro_complete", noted=noted)
        elif noted:
            one = len(left) == 1  # "one short question", else "{count} short questions"
            dispatcher.utter_message(
                response="utter_check_intro_noted_one" if one else "utter_check_intro_noted",
                noted=noted, count=len(left),
            )
        else:
            dispatcher.utter_message(response="utter_check_intro", count=len(left))
        events: list[EventType] = [
            SlotSet(slot, None)
            for slot in (*CHECK_SLOTS, NEXT_CHECK)
            if tracker.get_slot(slot) is not None and slot not in values
        ]
        events += [SlotSet(slot, value) for slot, value in values.items()
                   if tracker.get_slot(slot) != value]
        return events


class ValidateReferralForm(ReadingFormValidation):
    """Reads everything each answer says (``bot.guidance.form_answers.read_turn``) and asks only the
    questions this person still needs."""

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
        """Read the answer, and anything else the message says, from the latest message."""
        requested = tracker.get_slot("requested_slot")
        message = latest_message(tracker)
        if requested is None or not user_just_answered(tracker) or is_interruption(message):
            return []
        turn = read_turn(
            requested, message, check_answers(tracker), content(),
            tracker.get_slot("check_retries") or {},
        )
        for response, values in turn.say:
            dispatcher.utter_message(response=response, **values)
        events: list[EventType] = [SlotSet(k, v) for k, v in turn.values.items()]
        if not turn.answered:
            events.append(SlotSet(requested, None))
        events.append(SlotSet("check_retries", turn.retries))
        return events


class ActionAskConcernAreas(Action):
    """Ask what the worries are about, with the council's areas of need as buttons."""

    def name(self) -> str:
        return "action_ask_concern_areas"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_ask_concern_areas",
                                 buttons=concern_buttons(content()))
        return []


class ActionReferralOutcome(Action):
    """Give the outcome of the check with its reasons, and offer a summary."""

    def name(self) -> str:
        return OUTCOME_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        assessment = assess(_answers(tracker), data)
        send(dispatcher, outcome_reply(data, assessment))
        return [SlotSet("referral_outcome", assessment.outcome), SlotSet("check_retries", None),
                SlotSet("last_shown", WHY_SHOWN)]


class ActionHandoff(Action):
    """Send the summary as text and as a structured payload for the web page."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        answers = _answers(tracker)
        if not answers.answered("child_age_months") or answers.requester_role is None:
            dispatcher.utter_message(response="utter_summary_needs_answers")
            return []
        assessment = assess(answers, data)
        payload = handoff_payload(answers, assessment, data, tracker.get_slot("dspl_area"))
        send(dispatcher, Reply(text=handoff_text(payload)))
        send(dispatcher, Reply(custom={"handoff": payload}))
        return [SlotSet("referral_outcome", assessment.outcome)]
