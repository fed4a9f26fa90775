"""Reading one turn of the 'Can I refer?' check from a user message.

Kept apart from Rasa so that it can be tested on plain strings: given the question being
asked, the words typed (or a button's choice), what the NLU thought and what is known so far,
say which answers the message gives, what to say about it, and whether to ask again.

Everything the message says is kept, not only the answer to the question asked: "she's 3
and hardly talks" typed when the check asked about the setting fills the age and the
worries, and the setting question is asked again without a "Sorry". "I don't know" is an
answer to every question (the age is asked again once, for a rough age).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.guidance import parsing
from bot.guidance.content.schema import Content
from bot.guidance.facts import Facts, read_facts
from bot.guidance.parsing import ROLE_LABELS, describe_age
from bot.guidance.referral import QUESTION_ORDER, UNSURE
from bot.guidance.topics import CONTROL_INTENTS, QUESTION_INTENTS, looks_like_question

YES_NO_UNSURE = ("yes", "no", UNSURE)
# How many times a question is asked again before "I don't know" (or an answer that can't
# be read) is taken as not knowing: the check never loops.
MAX_RETRIES = 1
DETAIL_SLOTS = {"concern_areas": "concern_detail", "setting_support_tried": "support_detail"}
MAX_DETAIL_CHARS = 400


@dataclass
class Message:
    """What the user sent, as the form sees it."""

    text: str
    intent: str | None = None
    confidence: float = 0.0
    choice: str | None = None


@dataclass
class Turn:
    """What one message gives the check.

    ``values`` are slot values to set; ``say`` the domain responses to send (name, values
    for its placeholders) before the next question; ``answered`` whether the question asked
    was answered; ``retries`` the updated count of asks per question.
    """

    values: dict[str, Any] = field(default_factory=dict)
    say: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    answered: bool = False
    retries: dict[str, int] = field(default_factory=dict)


def is_interruption(message: Message) -> bool:
    """True when the message is a question or a command rather than an answer.

    A question-shaped message classified as a question goes to the question's answer (the
    form resumes after it); stop, restart, safeguarding and 'talk to a person' always leave
    the form's hands.
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


def says_unsure(message: Message) -> bool:
    """True for "I don't know", "not sure" and the like (typed or a button)."""
    if message.choice == UNSURE or message.intent == "dont_know":
        return True
    return not message.choice and parsing.parse_yes_no(message.text) == UNSURE


def read_slot(
    slot: str, message: Message, content: Content, today: dt.date | None = None
) -> Any:
    """The answer to one question from the message, or None if it gives none."""
    text, choice = message.text, message.choice
    if slot == "requester_role":
        if choice in ROLE_LABELS:
            return choice
        return parsing.parse_role(text)
    if slot == "child_age_months":
        age = parsing.parse_age_months(choice or text, today=today)
        return float(age) if age is not None else None
    if slot == "attends_setting":
        if choice in YES_NO_UNSURE:
            return choice
        if says_unsure(message):
            return UNSURE
        attends = parsing.parse_attends_setting(text)
        return None if attends is None else ("yes" if attends else "no")
    if slot == "concern_areas":
        keys = [area.key for area in content.eligibility.areas_of_need]
        if choice in keys or choice == UNSURE:
            return [choice]
        if message.intent == "dont_know":
            return [UNSURE]
        return parsing.parse_concerns(text, area_keywords(content)) or None
    if slot == "setting_support_tried":
        if choice in YES_NO_UNSURE:
            return choice
        return parsing.parse_support_tried(text)
    if slot == "parental_consent":
        if choice in YES_NO_UNSURE:
            return choice
        return parsing.parse_yes_no(text)
    raise KeyError(f"unknown referral slot {slot}")


# What a message can state (``Facts``) and the slot each fills, in the order they are set.
FACT_SLOTS = (
    ("role", "requester_role"),
    ("relation", "requester_relation"),
    ("age_months", "child_age_months"),
    ("attends_setting", "attends_setting"),
    ("setting_kind", "setting_kind"),
    ("concerns", "concern_areas"),
    ("support_tried", "setting_support_tried"),
    ("consent", "parental_consent"),
    ("diagnoses", "diagnosis"),
)


def fact_values(facts: Facts, known: dict[str, Any]) -> dict[str, Any]:
    """Slot values for what a message said, merged with what is known.

    Worries are added to the ones known; own words are appended to the details; the other
    answers replace what was known (what people state outright is taken as a correction).
    """
    values: dict[str, Any] = {}
    for fact, slot in FACT_SLOTS:
        value = getattr(facts, fact)
        if value not in (None, "", []):  # an age of 0 months is an age
            values[slot] = _with_known(slot, value, known)
    for slot, words in (("concern_detail", facts.concern_words),
                        ("support_detail", facts.support_words)):
        if words:
            values[slot] = add_detail(known.get(slot), " ".join(words))
    return {k: v for k, v in values.items() if known.get(k) != v}


def _with_known(slot: str, value: Any, known: dict[str, Any]) -> Any:
    """A stated fact as the slot's value: worries and diagnoses add to the ones known."""
    if slot == "child_age_months":
        return float(value)
    if slot in ("concern_areas", "diagnosis"):
        before = [v for v in known.get(slot) or [] if v != UNSURE]
        return list(dict.fromkeys([*before, *value]))
    return value


def add_detail(before: str | None, words: str) -> str:
    """The person's own words, added to what they said before (no repeats, kept short)."""
    words = words.strip()
    if before and words in before:
        return before
    joined = f"{before} {words}" if before else words
    return joined[:MAX_DETAIL_CHARS].rstrip()


def read_turn(
    requested: str | None,
    message: Message,
    known: dict[str, Any],
    content: Content,
    retries: dict[str, int] | None = None,
    today: dt.date | None = None,
) -> Turn:
    """Everything one message gives the check, and what to say before the next question."""
    turn = Turn(retries=dict(retries or {}))
    answer = read_slot(requested, message, content, today) if requested else None
    asked_for_rough_age = False
    if requested and answer is None and says_unsure(message):
        answer = _unsure_answer(requested, turn)
        asked_for_rough_age = answer is None
    said_something = False
    if not message.choice:
        facts = read_facts(message.text, area_keywords(content), today=today)
        said_something = not facts.empty()
        turn.values.update(fact_values(facts, known))
        if answer is None and requested in turn.values and not asked_for_rough_age:
            answer = turn.values[requested]  # "the nursery does small group work with her"
        if answer is not None and requested in DETAIL_SLOTS and answer not in ([UNSURE], UNSURE):
            detail = DETAIL_SLOTS[requested]
            turn.values[detail] = add_detail(turn.values.get(detail, known.get(detail)),
                                             message.text)
    if requested and answer is not None:
        if requested == "concern_areas" and "concern_areas" in turn.values:
            answer = list(dict.fromkeys([*answer, *turn.values["concern_areas"]]))
            answer = [a for a in answer if a != UNSURE] or [UNSURE]
        turn.values[requested] = answer
        turn.answered = True
    changed_age = turn.values.get("child_age_months")
    if (requested != "child_age_months" and isinstance(changed_age, float)
            and known.get("child_age_months") not in (None, UNSURE)):
        turn.say.append(("utter_age_changed", {"age": describe_age(int(changed_age))}))
    if requested and not turn.answered and not asked_for_rough_age:
        _not_answered(requested, message, turn, said_something)
    return turn


def _unsure_answer(requested: str, turn: Turn) -> Any:
    """"I don't know": the age is asked again once, for a rough age; the rest are answered."""
    if requested == "child_age_months" and turn.retries.get(requested, 0) < MAX_RETRIES:
        turn.retries[requested] = turn.retries.get(requested, 0) + 1
        turn.say.append(("utter_age_rough", {}))
        return None
    return not_known(requested)


def not_known(slot: str) -> Any:
    """The answer that stands for "I don't know" to a question: someone else asking, worries
    not yet clear, or simply not sure."""
    if slot == "requester_role":
        return "other"
    if slot == "concern_areas":
        return [UNSURE]
    return UNSURE


def _not_answered(requested: str, message: Message, turn: Turn, said_something: bool) -> None:
    """Ask again: with thanks when the message told us something else, with a hint when it
    told us nothing; after one retry, take it as not knowing so the check moves on."""
    asked = turn.retries.get(requested, 0)
    if asked >= MAX_RETRIES:
        turn.values[requested] = not_known(requested)
        if requested in DETAIL_SLOTS and not message.choice and message.text.strip():
            turn.values[DETAIL_SLOTS[requested]] = message.text.strip()[:MAX_DETAIL_CHARS]
        turn.answered = True
        turn.say.append(("utter_moving_on", {}))
        return
    if set(turn.values) - {"child_age_months"} or (turn.values and not turn.say):
        turn.say.append(("utter_noted", {}))  # something new: not counted as a retry
        return
    if turn.values:
        return  # an age correction, already acknowledged
    turn.retries[requested] = asked + 1
    # Something we knew already ("I'm her mum" again) gets thanks; nothing gets a hint.
    turn.say.append(("utter_noted", {}) if said_something else (f"utter_retry_{requested}", {}))


def opening_values(
    texts: list[str], content: Content, known: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Answers given in the message(s) that started the check, merged with ``known``."""
    values: dict[str, Any] = {}
    for text in texts:
        facts = read_facts(text, area_keywords(content), today=today)
        values.update(fact_values(facts, {**(known or {}), **values}))
    if (values.get("requester_role") or (known or {}).get("requester_role")) in (
        "setting", "childminder"
    ):
        values.setdefault("attends_setting", "yes")
    return values


CHECK_SLOTS = (*QUESTION_ORDER, "requester_relation", "setting_kind", "concern_detail",
               "support_detail", "diagnosis", "check_retries", "referral_outcome")
