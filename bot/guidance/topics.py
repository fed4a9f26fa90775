"""Which content topic answers which question: the one list of question intents.

``QUESTIONS`` is the single source: the intent the NLU predicts, the content topic that
answers it, and whether the answer offers the "Can I refer?" check. The dialogue rules that
answer these questions (``data/rules/questions.yml``) are generated from it
(``python -m bot.guidance.topics``), and a test checks the file is up to date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.guidance.content.schema import Content
from bot.guidance.parsing import normalise, parse_age_months


@dataclass(frozen=True)
class Question:
    """A kind of question the content answers."""

    intent: str
    topic: str
    offer_check: bool = True


QUESTIONS: tuple[Question, ...] = (
    Question("ask_who_service_is_for", "who_for"),
    Question("ask_age_range", "age_range"),
    Question("ask_need_covered", "need_covered"),
    Question("ask_diagnosis_needed", "diagnosis"),
    Question("ask_how_to_refer", "how_to_refer"),
    Question("ask_consent", "consent"),
    Question("ask_evidence", "evidence"),
    Question("ask_graduated_approach", "graduated_approach"),
    Question("ask_iep", "iep"),
    Question("ask_senco", "senco"),
    Question("ask_behaviour_support", "behaviour"),
    Question("ask_after_referral", "after_referral"),
    Question("ask_waiting_times", "waiting_times"),
    Question("ask_team", "team"),
    Question("ask_centres", "centres"),
    Question("ask_specialist_places", "specialist_places"),
    Question("ask_ehcp", "ehcp"),
    Question("ask_funding", "funding"),
    Question("ask_childminder", "childminders"),
    Question("ask_training", "training"),
    Question("ask_legal_advice", "legal_advice", offer_check=False),
    Question("ask_carer_wellbeing", "carer_wellbeing", offer_check=False),
    Question("ask_first_contact", "first_contact"),
    Question("ask_home_visits", "home_visits"),
    Question("ask_not_in_setting", "not_in_setting"),
    Question("ask_baseline_form", "baseline_form"),
    Question("ask_what_dspl", "dspl_what", offer_check=False),
    Question("bot_challenge", "about_assistant", offer_check=False),
    Question("out_of_scope", "out_of_scope", offer_check=False),
)
BY_INTENT = {q.intent: q for q in QUESTIONS}
INTENT_TOPICS = {q.intent: q.topic for q in QUESTIONS}

# Intents that start something of their own outside a form; asked during a form they get a
# short note (or a one-off answer) and the form carries on.
TASK_INTENTS = ("check_referral", "find_dspl", "find_support_groups", "request_handoff", "ask_help")
QUESTION_INTENTS = frozenset(INTENT_TOPICS) | frozenset(TASK_INTENTS)
CONTROL_INTENTS = frozenset(
    {"safeguarding_concern", "stop", "restart", "request_human", "bot_challenge",
     "other_language"}
)
# Topics the content must hold for every council: the rest fall back to 'not_known'.
FALLBACK_TOPIC = "not_known"

_QUESTION_SHAPE = re.compile(
    r"(\?\s*$)|^(what|whats|what's|where|who|whom|why|how|when|which|can|could|do|does|did|"
    r"is|are|will|would|should|shall|may|any|tell me|explain)\b"
)


def looks_like_question(text: str) -> bool:
    """True for text shaped like a question ('what ...', '... ?')."""
    return bool(_QUESTION_SHAPE.search(normalise(text)))


def topic_for(intent: str, text: str, content: Content, requester_role: str | None) -> list[str]:
    """The content topic keys that answer this question, most specific first.

    A question about the team's ages with an age of 5 or more gets the answer for older
    children; the evidence answer depends on who is asking. A topic the council's content
    does not hold is answered by its 'not_known' topic.
    """
    question = BY_INTENT.get(intent)
    if question is None:
        return []
    key = question.topic
    if key in ("who_for", "age_range"):
        age = parse_age_months(text, strict=True)
        if age is not None and age >= content.eligibility.max_age_months:
            return ["over_age"]
    if key == "evidence":
        if requester_role in ("setting", "childminder"):
            return ["evidence_setting"]
        if requester_role in ("parent", "carer"):
            return ["evidence_parent"]
        return ["evidence"] if "evidence" in content.topics else [
            "evidence_parent", "evidence_setting"]
    if key not in content.topics:
        return [FALLBACK_TOPIC]
    return [key]


# Other messages that are answered during a form, after which the form carries on.
IN_FORM_ANSWERS = (("other_language", "action_other_language"),)


def question_rules() -> str:
    """The dialogue rules for every question intent, as the YAML of data/rules/questions.yml."""
    topic_intents = [q.intent for q in QUESTIONS]

    def ors(intents: list[str]) -> str:
        if len(intents) == 1:
            return f"      - intent: {intents[0]}"
        lines = "\n".join(f"          - intent: {name}" for name in intents)
        return f"      - or:\n{lines}"

    def resume(form: str, what: str, intents: list[str], action: str, title: str) -> str:
        return (
            f"  - rule: {title} during the {what}, then carry on\n"
            f"    condition:\n      - active_loop: {form}\n"
            f"    steps:\n{ors(intents)}\n"
            f"      - action: {action}\n"
            f"      - action: {form}\n      - active_loop: {form}\n"
        )

    blocks = [
        "  - rule: Answer a question about the service from the content\n"
        f"    steps:\n{ors(topic_intents)}\n      - action: action_answer_topic\n"
    ]
    for form, what in (("referral_form", "referral check"), ("dspl_form", "DSPL lookup")):
        blocks.append(resume(form, what, [*topic_intents, *TASK_INTENTS], "action_answer_topic",
                             "Answer a question asked"))
        for intent, action in IN_FORM_ANSWERS:
            blocks.append(resume(form, what, [intent], action, f"Answer '{intent}'"))
    return (
        "# Generated by `make rules` (python -m bot.guidance.topics) from QUESTIONS in\n"
        "# bot/guidance/topics.py: do not edit.\n"
        'version: "3.1"\n\nrules:\n' + "\n".join(blocks)
    )


if __name__ == "__main__":
    print(question_rules(), end="")
