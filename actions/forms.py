"""The one base class of the assistant's forms, and why it differs from rasa-sdk's.

rasa-sdk's ``FormValidationAction`` expects one ``extract_<slot>`` and one
``validate_<slot>`` method per slot, and returns only the slots the form asks for. The
check and the DSPL lookup read whole messages instead: one message can answer several
questions ("she's 3 and goes to nursery"), carry details that are not questions of the form
(the person's own words, a lookup's result), or answer nothing. So the forms read with
``get_extraction_events`` and check what they read there; this base class

- keeps every slot the reading set, not only the form's questions (``run``), and
- takes the reading's answers as validated, without per-slot ``validate_`` methods, so
  rasa-sdk does not log "Skipping validation" for every slot (``get_validation_events``;
  this, not a logging setting, is what keeps that warning out of the action server's log).

Each form subclasses this base (a test checks it) and overrides ``get_extraction_events``
(and, for the check, ``required_slots``: its questions depend on the answers so far). These
rasa-sdk methods, and the private ``_extract_validation_events`` that ``run`` calls, are
listed with their signatures in :mod:`bot.internals`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class ReadingFormValidation(FormValidationAction, ABC):
    """A form validation that reads whole messages (see the module docstring)."""

    @abstractmethod
    def name(self) -> str:
        """validate_<form name> (abstract, so rasa-sdk does not register this base)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Read the message, then let the form pick the next question; keep every slot."""
        extracted = await self.get_extraction_events(dispatcher, tracker, domain)
        tracker.add_slots(extracted)
        validated = await self._extract_validation_events(dispatcher, tracker, domain)
        names = {event["name"] for event in validated}
        return validated + [e for e in extracted if e.get("name") not in names]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The form's questions answered this turn, as read (the reading validated them)."""
        required = await self.required_slots(
            self.domain_slots(domain), dispatcher, tracker, domain
        )
        return [
            SlotSet(slot, value)
            for slot, value in tracker.slots_to_validate().items()
            if slot in required
        ]
