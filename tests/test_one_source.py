"""One source per concept (issue 14): what is written in one place and used in another stays
aligned: the check's questions in domain.yml, bot/guidance and the guide's pages, the responses
the code sends, and the council's words kept out of the code."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from bot.guidance.content import DEFAULT_COUNCIL, council_ids, load_content
from bot.guidance.form_answers import CHECK_SLOTS, YES_NO_UNSURE
from bot.guidance.parsing import ROLE_LABELS
from bot.guidance.referral import QUESTION_ORDER, Answers
from bot.guidance.topics import TASK_INTENTS
from bot.web.service.check import PARAMS, questions

ROOT = Path(__file__).resolve().parents[1]
CODE_DIRS = ("actions", "bot")
GENERIC_WORDS = {"Council", "County", "City", "District", "Borough"}
# Not yet: the guide's place page still gives "Hitchin" as its example (bot/web is being
# rewritten at the same time; it is to take content.dspl.example_place, as the chat does).
NOT_YET: set[str] = set()  # files still naming the council, each with its reason
CHOICE = re.compile(r'/inform\{\{?"choice":"([a-z_]+)"\}\}?')


def _code_files() -> list[Path]:
    return sorted(p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py"))


def _responses(domain: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return domain["responses"]


def test_the_referral_form_asks_the_checks_questions_in_order(domain) -> None:
    assert domain["forms"]["referral_form"]["required_slots"] == list(QUESTION_ORDER)


def test_the_answers_hold_the_questions_first_in_order() -> None:
    """The guide builds Answers from its six answers in QUESTION_ORDER."""
    names = [f.name for f in dataclasses.fields(Answers)]
    assert names[: len(QUESTION_ORDER)] == list(QUESTION_ORDER)


def test_every_slot_of_the_check_is_a_slot_of_the_domain(domain) -> None:
    from actions.common import NEXT_CHECK

    assert set(CHECK_SLOTS) | {NEXT_CHECK} <= set(domain["slots"])


def test_every_question_is_asked_and_retried_in_the_domain(domain) -> None:
    responses, actions = _responses(domain), set(map(str, domain["actions"]))
    for slot in QUESTION_ORDER:
        assert f"utter_ask_{slot}" in responses or f"action_ask_{slot}" in actions, slot
        assert f"utter_retry_{slot}" in responses, slot
    retried = {name.removeprefix("utter_retry_") for name in responses
               if name.startswith("utter_retry_")}
    assert retried <= {*QUESTION_ORDER, "dspl_place"}


def test_every_task_has_its_in_form_note(domain) -> None:
    notes = {name.removeprefix("utter_in_form_") for name in _responses(domain)
             if name.startswith("utter_in_form_")}
    assert notes == set(TASK_INTENTS)


def test_every_response_the_code_sends_is_in_the_domain(domain) -> None:
    named = {
        name
        for path in _code_files()
        for name in re.findall(r'"(utter_[a-z_]+)"', path.read_text(encoding="utf-8"))
    }
    assert named, "no response names found"
    assert named - set(_responses(domain)) == set()


def test_the_guide_asks_the_same_questions_as_the_chat(herts) -> None:
    assert list(questions(herts)) == list(QUESTION_ORDER)
    assert list(PARAMS) == list(QUESTION_ORDER)


# The guide's questions worded apart from the chat's (a page title, not a chat message): the
# test below keeps this list true, so bringing one in line is a change of this list too.
WORDED_APART = {
    "requester_role": "the chat opens with 'First, '",
    "attends_setting": "the chat adds 'or school'",
    "concern_areas": "the chat asks about 'the main worries'",
    "setting_support_tried": "the chat explains assess, plan, do, review",
    "parental_consent": "the chat first says parents need to agree",
}


def test_the_guide_asks_each_question_as_the_chat_does(domain, herts) -> None:
    for slot, question in questions(herts).items():
        variants = _responses(domain).get(f"utter_ask_{slot}", [])
        chat = next(v["text"] for v in variants if not v.get("condition"))
        assert (question.title in " ".join(chat.split())) is (slot not in WORDED_APART), slot


def test_the_guides_text_file_words_exactly_the_checks_questions() -> None:
    from bot.web.texts import texts

    assert list(texts()["check_questions"]) == list(QUESTION_ORDER)
    assert set(texts()["check_choices"]) == set(YES_NO_UNSURE)


def test_who_is_asking_has_the_same_options_in_chat_and_guide(domain, herts) -> None:
    (*_, plain) = _responses(domain)["utter_ask_requester_role"]
    chat = {CHOICE.search(b["payload"]).group(1): b["title"] for b in plain["buttons"]}
    assert chat == ROLE_LABELS
    assert dict(questions(herts)["requester_role"].options) == ROLE_LABELS


def test_the_chats_answer_buttons_are_answers_the_check_reads(domain) -> None:
    for slot in QUESTION_ORDER:
        for variant in _responses(domain).get(f"utter_ask_{slot}", []):
            for b in variant.get("buttons", []):
                choice = CHOICE.search(b["payload"]).group(1)
                assert choice in (*YES_NO_UNSURE, *ROLE_LABELS), (slot, choice)


def test_the_guide_and_the_chat_give_the_same_examples_of_an_age(domain, herts) -> None:
    chat = " ".join(v["text"] for v in _responses(domain)["utter_retry_child_age_months"])
    guide = questions(herts)["child_age_months"]
    for example in re.findall(r'"([^"]+)"', chat):
        if example != "I don't know":
            assert example in guide.hint, example
    assert guide.title in _responses(domain)["utter_ask_child_age_months"][-1]["text"]


def _strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module, without its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("council", council_ids())
def test_no_code_names_a_council(council) -> None:
    """A second council changes no code: its name and places live in its content file (the
    one default, which council to load, is configuration)."""
    content = load_content(council)
    words = {council, *re.findall(r"[A-Z][a-z]{3,}", content.council.name)} - GENERIC_WORDS
    if content.dspl is not None:
        words |= {content.dspl.county, *content.dspl.places, *content.dspl.postcodes}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(words))) + r")\b", re.I)
    found = [
        f"{path.relative_to(ROOT)}:{line}: {value!r}"
        for path in _code_files()
        if str(path.relative_to(ROOT)) not in NOT_YET
        for line, value in _strings(path)
        if value != DEFAULT_COUNCIL and pattern.search(value)
    ]
    assert found == []
