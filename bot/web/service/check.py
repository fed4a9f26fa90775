"""The guide's "Can I refer?": one question per page, using the chat's own referral logic.

The answers so far travel in the address (they say nothing about who the child is: a role, an
age in months, yes/no answers and areas of need). ``bot.guidance.referral`` decides which questions
are
needed and what they suggest; ``bot.guidance.form_answers`` reads what was chosen or typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.guidance.content.schema import Content
from bot.guidance.form_answers import Message, area_keywords, read_slot
from bot.guidance.parsing import ROLE_LABELS, describe_age, parse_concerns
from bot.guidance.referral import QUESTION_ORDER, Answers, questions_needed
from bot.web.params import Choice, Number, Param
from bot.web.referral import fields
from bot.web.texts import texts

_PARAM_NAMES = {
    "requester_role": "role",
    "child_age_months": "age",
    "attends_setting": "setting",
    "concern_areas": "areas",
    "setting_support_tried": "tried",
    "parental_consent": "consent",
}
# The check's questions in the chat's order (bot.guidance.referral.QUESTION_ORDER), each with
# its short name in the address: a question added there without a name here fails the import.
PARAMS = {slot: _PARAM_NAMES[slot] for slot in QUESTION_ORDER}
SLOTS = {param: slot for slot, param in PARAMS.items()}
YES_NO = tuple(key for key, _ in fields.YES_NO)  # the same answers as the service request
YES_NO_UNSURE = tuple(key for key, _ in fields.YES_NO_UNSURE)
MAX_TEXT = 100
ANSWER: dict[str, Any] = {  # a Choice, Number or Param, each read by its own method
    "role": Choice("role", options=tuple(ROLE_LABELS)),
    "age": Number("age", low=0, high=240),
    "setting": Choice("setting", options=YES_NO),
    "areas": Param("areas", MAX_TEXT * 4),
    "tried": Choice("tried", options=YES_NO_UNSURE),
    "consent": Choice("consent", options=YES_NO_UNSURE),
}
# The fields of each question's form: the answer, named after its slot, and free words.
FIELD = {slot: Param(slot, MAX_TEXT) for slot in PARAMS}
CONCERN_WORDS = Param("concern_words", MAX_TEXT)


@dataclass(frozen=True)
class Question:
    """One page of the check."""

    slot: str
    title: str
    kind: str  # "radios", "checkboxes" or "text"
    error: str
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()


# Each question's kind of answer; its words are in the guide's text file
# (bot/web/templates/texts_service.json: check_questions, check_choices).
KINDS = {
    "requester_role": "radios",
    "child_age_months": "text",
    "attends_setting": "radios",
    "concern_areas": "checkboxes",
    "setting_support_tried": "radios",
    "parental_consent": "radios",
}


def questions(content: Content) -> dict[str, Question]:
    """The questions, in the chat's order, with the council's areas of need."""
    words, choices = texts()["check_questions"], texts()["check_choices"]
    areas = tuple((a.key, a.label) for a in content.eligibility.areas_of_need)
    options = {
        "requester_role": tuple(ROLE_LABELS.items()),
        "attends_setting": tuple((c, choices[c]) for c in YES_NO),
        "concern_areas": (*areas, ("unsure", choices["unsure"])),
        "setting_support_tried": tuple((c, choices[c]) for c in YES_NO_UNSURE),
        "parental_consent": tuple((c, choices[c]) for c in YES_NO_UNSURE),
    }
    return {
        slot: Question(slot, words[slot]["title"], KINDS[slot], words[slot]["error"],
                       hint=words[slot].get("hint", ""), options=options.get(slot, ()))
        for slot in QUESTION_ORDER
    }


def answers_from(params: Mapping[str, Any], content: Content) -> Answers:
    """Answers from the address or hidden fields; anything unexpected is ignored."""

    role = ANSWER["role"].choice(params) or None
    age = ANSWER["age"].number(params)
    setting = {"yes": True, "no": False}.get(ANSWER["setting"].choice(params))
    keys = {a.key for a in content.eligibility.areas_of_need} | {"unsure"}
    listed = ANSWER["areas"].read(params).split(",")
    areas = [k for k in dict.fromkeys(listed) if k in keys] or None
    if areas and "unsure" in areas and len(areas) > 1:
        areas = [a for a in areas if a != "unsure"]
    tried = ANSWER["tried"].choice(params) or None
    consent = ANSWER["consent"].choice(params) or None
    return Answers(role, age, setting, areas, tried, consent)


def needed_answers(answers: Answers, content: Content) -> Answers:
    """Only the answers to questions that are still needed (a changed answer can drop some)."""
    needed = set(questions_needed(answers, content))
    kept: dict[str, Any] = {
        slot: getattr(answers, slot) if slot in needed else None for slot in PARAMS
    }
    return Answers(**kept)


def params_of(answers: Answers) -> dict[str, str]:
    """Answers as address parameters (only those given)."""
    out: dict[str, str] = {}
    for slot, param in PARAMS.items():
        value = getattr(answers, slot)
        if value is None:
            continue
        if isinstance(value, bool):
            out[param] = "yes" if value else "no"
        elif isinstance(value, list):
            out[param] = ",".join(value)
        else:
            out[param] = str(value)
    return out


def query(answers: Answers) -> str:
    """'?role=parent&age=30' (or '' when there are no answers)."""
    params = params_of(answers)
    return "?" + urlencode(params) if params else ""


def next_slot(answers: Answers, content: Content) -> str | None:
    """The first needed question without an answer, or None when all are answered."""
    return next(
        (s for s in questions_needed(answers, content) if getattr(answers, s) is None), None
    )


def previous_slot(slot: str, answers: Answers, content: Content) -> str | None:
    """The question before this one (for the Back link), or None for the first."""
    needed = questions_needed(answers, content)
    if slot not in needed:
        return None
    index = needed.index(slot)
    return needed[index - 1] if index else None


def typed(question: Question, form: Mapping[str, Any]) -> str:
    """What was typed into a text question, to show again with its error."""
    return FIELD[question.slot].read(form) if question.kind == "text" else ""


def read_answer(question: Question, form: Mapping[str, Any], content: Content) -> Any | None:
    """The value of one posted answer (free text read like the chat reads it), or None."""
    values = FIELD[question.slot].values(form)
    first = values[0] if values else ""
    if question.kind == "checkboxes":
        allowed = dict(question.options)
        keys = [v for v in dict.fromkeys(values) if v in allowed]
        words = CONCERN_WORDS.read(form)
        if not keys and words.strip():
            keys = parse_concerns(words, area_keywords(content))
        if len(keys) > 1 and "unsure" in keys:
            keys = [k for k in keys if k != "unsure"]
        return keys or None
    if question.kind == "radios":
        if first not in dict(question.options):
            return None
        return read_slot(question.slot, Message(first, choice=first), content)
    value = read_slot(question.slot, Message(first), content) if first.strip() else None
    return int(value) if isinstance(value, float) else value


def with_answer(answers: Answers, slot: str, value: Any) -> Answers:
    """A copy of the answers with one changed."""
    data = {s: getattr(answers, s) for s in PARAMS}
    data[slot] = value
    return Answers(**data)


def answer_text(question: Question, value: Any) -> str:
    """An answer as words for 'Check your answers'."""
    if value is None:
        return ""
    if question.slot == "child_age_months":
        return describe_age(int(value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    options = dict(question.options)
    if isinstance(value, list):
        chosen: list[str] = value  # the option keys that were picked
        return ", ".join(options.get(v, v) for v in chosen)
    return options.get(value, str(value))


def field_value(question: Question, value: Any) -> Any:
    """What to show in the form control for an answer already given."""
    if value is None:
        return [] if question.kind == "checkboxes" else ""
    if question.slot == "child_age_months":
        return describe_age(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value
