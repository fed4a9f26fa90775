"""Reading one answer of the 'Can I refer?' check from a user message.

Kept apart from Rasa so that it can be tested on plain strings: given the slot
being asked, the words typed (or a button's choice) and what the NLU thought,
say which slot values the message gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.content.schema import Content
from bot.parsing import (
    ROLE_LABELS,
    parse_age_months,
    parse_attends_setting,
    parse_concerns,
    parse_role,
    parse_support_tried,
    parse_yes_no,
    states_professional_role,
)
from bot.topics import CONTROL_INTENTS, QUESTION_INTENTS, looks_like_question

YES_NO_UNSURE = ("yes", "no", "unsure")


@dataclass
class Message:
    """What the user sent, as the form sees it."""

    text: str
    intent: str | None = None
    confidence: float = 0.0
    choice: str | None = None


@dataclass
class Reading:
    """Slot values read from a message, and whether the asked question was answered."""

    values: dict[str, Any] = field(default_factory=dict)
    answered: bool = False
    skip: bool = False


def is_interruption(message: Message) -> bool:
    """True when the message is a question or a command rather than an answer.

    A question-shaped message classified as a question goes to the question's
    answer (the form resumes after it); stop, restart, safeguarding and
    'talk to a person' always leave the form's hands.
    """
    if message.choice:
        return False
    if message.intent in CONTROL_INTENTS:
        return True
    return (
        message.intent in QUESTION_INTENTS
        and message.confidence >= 0.5
        and looks_like_question(message.text)
    )


def area_keywords(content: Content) -> list[tuple[str, list[str]]]:
    """(key, keywords) pairs for the council's areas of need."""
    return [(area.key, area.keywords) for area in content.eligibility.areas_of_need]


def read_slot(
    slot: str, message: Message, content: Content, today: dt.date | None = None
) -> Any:
    """The value for one slot from the message, or None if it gives none."""
    text, choice = message.text, message.choice
    if slot == "requester_role":
        if choice in ROLE_LABELS:
            return choice
        return parse_role(text)
    if slot == "child_age_months":
        age = parse_age_months(choice or text, today=today)
        return float(age) if age is not None else None
    if slot == "attends_setting":
        if choice in ("yes", "no"):
            return choice == "yes"
        return parse_attends_setting(text)
    if slot == "concern_areas":
        keys = [area.key for area in content.eligibility.areas_of_need]
        if choice in keys or choice == "unsure":
            return [choice]
        if message.intent == "dont_know":
            return ["unsure"]
        return parse_concerns(text, area_keywords(content)) or None
    if slot == "setting_support_tried":
        if choice in YES_NO_UNSURE:
            return choice
        return parse_support_tried(text)
    if slot == "parental_consent":
        if choice in YES_NO_UNSURE:
            return choice
        return parse_yes_no(text)
    raise KeyError(f"unknown referral slot {slot}")


def read_answers(
    requested: str | None,
    message: Message,
    filled: dict[str, Any],
    content: Content,
    today: dt.date | None = None,
) -> Reading:
    """Read the answer to the requested slot, plus corrections of earlier answers.

    Corrections are taken only where they are unmistakable: an age with an age
    cue ("actually she's 4") or a role stated outright ("I'm the SENCo").
    """
    if is_interruption(message):
        return Reading(skip=True)
    reading = Reading()
    if requested:
        value = read_slot(requested, message, content, today)
        if value is not None:
            reading.values[requested] = value
            reading.answered = True
    if message.choice:
        return reading
    if requested != "child_age_months" and filled.get("child_age_months") is not None:
        age = parse_age_months(message.text, today=today, strict=True)
        if age is not None and float(age) != filled.get("child_age_months"):
            reading.values["child_age_months"] = float(age)
    if requested != "requester_role" and filled.get("requester_role"):
        role = parse_role(message.text)
        if role and role != filled["requester_role"] and _states_role(message.text):
            reading.values["requester_role"] = role
    return reading


def read_opening(text: str, today: dt.date | None = None) -> dict[str, Any]:
    """Answers already given in the message that started the check.

    "Can I refer my 3 year old?" gives the age; "I'm a childminder, can I refer?"
    gives the role. Only unmistakable statements are taken.
    """
    values: dict[str, Any] = {}
    age = parse_age_months(text, today=today, strict=True)
    if age is not None:
        values["child_age_months"] = float(age)
    role = parse_role(text)
    stated = _states_role(text) or (role != "parent" and states_professional_role(text))
    if role and (stated or role == "parent"):
        values["requester_role"] = role
        if role in ("setting", "childminder"):
            values["attends_setting"] = True
    return values


def _states_role(text: str) -> bool:
    lowered = text.lower()
    return any(
        cue in lowered
        for cue in ("i'm a ", "i am a ", "i'm the ", "i am the ", "i'm his ", "i'm her ",
                    "i am his ", "i am her ", "actually i", "i work ")
    )


RETRY_HINTS = {
    "requester_role": (
        "Sorry, I didn't catch who you're asking as. Please choose one of the options, "
        "or type for example \"parent\", \"nursery\" or \"health visitor\"."
    ),
    "child_age_months": (
        "Sorry, I couldn't read an age from that. A rough age is fine, for example "
        "\"18 months\", \"2 and a half\" or \"nearly 4\"."
    ),
    "attends_setting": "Sorry, I didn't catch that. Please answer yes or no.",
    "concern_areas": (
        "Sorry, I didn't catch what you're worried about. You can pick an option or "
        "describe it in a few words, for example \"talking\" or \"behaviour\"."
    ),
    "setting_support_tried": "Sorry, I didn't catch that. Yes, no or not sure is fine.",
    "parental_consent": "Sorry, I didn't catch that. Yes, no or not sure is fine.",
}
AGE_UNKNOWN_HINT = (
    "That's OK. A rough age is enough, for example \"about 2\" or \"under 1\"."
)
