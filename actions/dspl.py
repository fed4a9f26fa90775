"""Finding the family's DSPL area: a one-question form with follow-ups when unclear."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, latest_message, remember_facts, send, user_just_answered
from actions.forms import ReadingFormValidation
from bot.guidance import dspl as dspl_lookup
from bot.guidance.form_answers import is_interruption
from bot.guidance.postcodes import PostcodeClient, live_lookup_enabled
from bot.guidance.replies import (
    AREAS_PER_PAGE,
    areas_reply,
    choice_button,
    dspl_examples,
    dspl_reply,
    no_dspl_reply,
)

MAX_ATTEMPTS = 2
NO_DSPL = "not applicable"
AREAS_SHOWN = "dspl_areas"  # last_shown after a page of DSPL areas


def _lookup(text: str) -> dspl_lookup.DsplResult:
    data = content()
    assert data.dspl is not None
    client = PostcodeClient() if live_lookup_enabled() else None
    return dspl_lookup.lookup(text, data.dspl, client)


def _settled(result: dspl_lookup.DsplResult) -> list[EventType]:
    data = content()
    assert data.dspl is not None
    area = dspl_lookup.area_name(data.dspl, result.area) if result.area is not None else None
    return [
        SlotSet("dspl_place", result.place or result.postcode_district or "unknown"),
        SlotSet("dspl_result", result.to_slot()),
        SlotSet("dspl_area", area),
    ]


class ActionStartDsplLookup(Action):
    """Start a fresh DSPL lookup (or explain that this council has none)."""

    def name(self) -> str:
        return "action_start_dspl_lookup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        if data.dspl is None:
            send(dispatcher, no_dspl_reply(data))
            return [SlotSet("dspl_place", NO_DSPL), SlotSet("dspl_result", None)]
        return [
            SlotSet("dspl_place", None), SlotSet("dspl_result", None),
            *remember_facts(tracker),
        ]


class ValidateDsplForm(ReadingFormValidation):
    """Reads a town, village or postcode and looks it up."""

    def name(self) -> str:
        return "validate_dspl_form"

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Look up the place in the latest message; ask again when it's unclear."""
        if tracker.get_slot("dspl_place") == NO_DSPL:
            return []
        message = latest_message(tracker)
        opening = not user_just_answered(tracker)
        if opening and tracker.get_slot("requested_slot") is not None:
            return []
        if not opening and is_interruption(message):
            return []
        result = _lookup(message.choice or message.text)
        if result.settled:
            return _settled(result)
        if result.status == "ask":
            pending = result.to_slot() | {"options": result.options}
            return [SlotSet("dspl_place", None), SlotSet("dspl_result", pending)]
        if opening:
            return []
        previous = tracker.get_slot("dspl_result") or {}
        attempts = int(previous.get("attempts", 0)) + 1
        if attempts >= MAX_ATTEMPTS:
            return [
                SlotSet("dspl_place", "unknown"),
                SlotSet("dspl_result", {"status": "not_found", "attempts": attempts}),
                SlotSet("dspl_area", None),
            ]
        return [
            SlotSet("dspl_place", None),
            SlotSet("dspl_result", {"status": "not_found", "attempts": attempts}),
        ]


class ActionAskDsplPlace(Action):
    """Ask for the place; straight after an unclear answer, ask more specifically."""

    def name(self) -> str:
        return "action_ask_dspl_place"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        pending = tracker.get_slot("dspl_result") or {}
        if pending.get("status") == "ask":  # a split postcode district (always named)
            options = pending.get("options") or []
            dispatcher.utter_message(
                response="utter_ask_dspl_choice", district=pending.get("postcode_district"),
                buttons=[choice_button(o.title(), o) for o in options],
            )
            return []
        dspl = content().dspl  # the form never asks in a council without DSPLs
        if pending.get("status") == "not_found" and user_just_answered(tracker):
            # Only straight after the place was not found: after answering a question
            # in between, the question is simply asked again.
            response = "utter_retry_dspl_place"
        else:
            response = "utter_ask_dspl_place"
        dispatcher.utter_message(response=response, **(dspl_examples(dspl) if dspl else {}))
        return []


class ActionReportDspl(Action):
    """Say which DSPL area the place is in, or what to do when it can't be told."""

    def name(self) -> str:
        return "action_report_dspl"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        if data.dspl is None:
            return [SlotSet("dspl_place", None)]
        result = dspl_lookup.DsplResult.from_slot(tracker.get_slot("dspl_result"))
        if result.settled:
            send(dispatcher, dspl_reply(data, result))
            return []
        send(dispatcher, areas_reply(data))
        return [SlotSet("last_shown", AREAS_SHOWN), SlotSet("areas_offset", float(AREAS_PER_PAGE))]
