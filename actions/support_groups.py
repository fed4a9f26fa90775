"""Listing support groups by DSPL area and need, a few at a time."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, latest_message, send
from bot.guidance.dspl import DsplResult
from bot.guidance.dspl import lookup as dspl_lookup
from bot.guidance.replies import DSPL_BUTTON, button, groups_intro, groups_reply
from bot.guidance.support_groups import PAGE_SIZE, matching_groups, needs_in_text, page_of

GROUPS_SHOWN = "support_groups"  # the value of last_shown after a page of groups


class ActionListSupportGroups(Action):
    """Show the support groups that fit; 'show more' continues the list."""

    def name(self) -> str:
        return "action_list_support_groups"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        data = content()
        message = latest_message(tracker)
        events: list[EventType] = []
        area = DsplResult.from_slot(tracker.get_slot("dspl_result")).area
        if message.intent == "show_more" and tracker.get_slot("last_shown") == GROUPS_SHOWN:
            needs = tracker.get_slot("support_need") or []
            offset = int(tracker.get_slot("support_offset") or 0)
        else:
            needs = needs_in_text(message.text, data)
            offset = 0
            if data.dspl is not None:
                found = dspl_lookup(message.text, data.dspl)
                if found.area is not None:
                    area = found.area
                    events.append(SlotSet("dspl_result", found.to_slot()))
        groups = matching_groups(data, area, needs)
        page = page_of(groups, offset)
        if not page.groups:
            dispatcher.utter_message(response="utter_no_more_groups")
            return events
        specific = any(set(needs) & set(g.needs) for g in groups)
        reply = groups_reply(data, page, groups_intro(data, area, needs, offset, specific))
        if area is None and data.dspl is not None and offset == 0:
            reply.buttons.append(button(*DSPL_BUTTON))
        send(dispatcher, reply)
        events += [
            SlotSet("support_need", needs),
            SlotSet("support_offset", float(offset + PAGE_SIZE)),
            SlotSet("last_shown", GROUPS_SHOWN),
        ]
        return events



def more_groups_left(tracker: Tracker) -> bool:
    """Whether the list of groups last shown has more to show."""
    area = DsplResult.from_slot(tracker.get_slot("dspl_result")).area
    groups = matching_groups(content(), area, tracker.get_slot("support_need") or [])
    return len(groups) > int(tracker.get_slot("support_offset") or 0)
