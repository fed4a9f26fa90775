"""Which content topic answers which question."""

from __future__ import annotations

import re

from bot.content.schema import Content
from bot.parsing import normalise, parse_age_months

INTENT_TOPICS = {
    "ask_who_service_is_for": "who_for",
    "ask_diagnosis_needed": "diagnosis",
    "ask_how_to_refer": "how_to_refer",
    "ask_consent": "consent",
    "ask_evidence": "evidence",
    "ask_graduated_approach": "graduated_approach",
    "ask_behaviour_support": "behaviour",
    "ask_after_referral": "after_referral",
    "ask_team": "team",
    "ask_centres": "centres",
    "ask_ehcp": "ehcp",
    "ask_funding": "funding",
    "bot_challenge": "about_assistant",
    "out_of_scope": "out_of_scope",
}

QUESTION_INTENTS = frozenset(INTENT_TOPICS) | {
    "check_referral",
    "find_dspl",
    "find_support_groups",
    "request_handoff",
    "ask_help",
}
CONTROL_INTENTS = frozenset(
    {"safeguarding_concern", "stop", "restart", "request_human", "bot_challenge"}
)
IN_FORM_NOTES = {
    "check_referral": "We're doing that check now: just a few more questions.",
    "ask_help": (
        "I'm asking a few short questions. You can ask me something else at any point, "
        "or type \"stop\" to stop."
    ),
    "request_handoff": "I'll offer you a summary as soon as we've finished these questions.",
    "find_support_groups": "I can show support groups once we've finished these questions.",
}
_QUESTION_SHAPE = re.compile(
    r"(\?\s*$)|^(what|whats|what's|where|who|whom|why|how|when|which|can|could|do|does|did|"
    r"is|are|will|would|should|shall|may|any|tell me|explain)\b"
)
_NOT_IN_SETTING = re.compile(
    r"\b(not in (a |any )?(nursery|setting|childcare|pre-?school)|doesn'?t go to|"
    r"not at (nursery|pre-?school)|at home with me|no nursery|not started nursery)\b"
)
_HOME_VISIT = re.compile(r"\b(home visits?|visit (us )?at home|come to (our|the) house)\b")
_BASELINE = re.compile(r"\bbaseline\b")
_DSPL_WHAT = re.compile(r"\bwhat (is|are|does) (a |the )?dspls?\b|\bdspl stand for\b")


def looks_like_question(text: str) -> bool:
    """True for text shaped like a question ('what ...', '... ?')."""
    return bool(_QUESTION_SHAPE.search(normalise(text)))


def topic_for(intent: str, text: str, content: Content, requester_role: str | None) -> list[str]:
    """The content topic keys that answer this question, most specific first."""
    key = INTENT_TOPICS.get(intent)
    if key is None:
        return []
    if key == "who_for":
        age = parse_age_months(text, strict=True)
        if age is not None and age >= content.eligibility.max_age_months:
            return ["over_age"]
        if _NOT_IN_SETTING.search(normalise(text)) and "not_in_setting" in content.topics:
            return ["not_in_setting"]
        if _HOME_VISIT.search(normalise(text)) and "home_visits" in content.topics:
            return ["home_visits"]
    baseline = _BASELINE.search(normalise(text))
    if key == "how_to_refer" and baseline and "baseline_form" in content.topics:
        return ["baseline_form"]
    if key == "evidence":
        if requester_role in ("setting", "childminder"):
            return ["evidence_setting"]
        if requester_role == "parent":
            return ["evidence_parent"]
        return ["evidence_parent", "evidence_setting"]
    return [key]


def asks_what_dspl_is(text: str) -> bool:
    """True for 'what is a DSPL?' rather than 'which DSPL am I in?'."""
    return bool(_DSPL_WHAT.search(normalise(text)))
