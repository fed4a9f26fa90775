"""Answers end to end: real questions through the gateway to the trained model and back.

tests/answers/single.yml holds 200 questions written blind (tests/nlu/BRIEF.md), each with
the fact its first reply must contain. tests/answers/conversations.yml holds multi-turn
conversations: rich openings, answers out of order, free text, "I don't know", corrections,
questions in the middle and stopping. Both run against the ``stack`` fixture (the action
server, Rasa and the gateway, as ``make run`` starts them).
"""

from __future__ import annotations

import collections
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.guidance.content import load_measured
from tests.helpers.stack import Stack

ANSWERS = Path(__file__).resolve().parents[1] / "answers"
MIN_OVERALL = 0.95
MIN_PER_LABEL = 0.85


def flat(text: str) -> str:
    """Lower case, one kind of apostrophe, single spaces: how replies are compared."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).lower()


def reply_text(reply: Any) -> str:
    """Every word of a reply: texts, custom texts and button titles."""
    parts: list[str] = []
    for message in reply if isinstance(reply, list) else []:
        parts.append(str(message.get("text") or ""))
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("text"), str):
            parts.append(custom["text"])
        parts.extend(str(b.get("title", "")) for b in message.get("buttons") or [])
    return "\n".join(parts)


def single_questions() -> list[dict[str, Any]]:
    return yaml.safe_load((ANSWERS / "single.yml").read_text(encoding="utf-8"))["questions"]


def test_single_questions_get_the_fact_they_need(stack: Stack) -> None:
    results: dict[str, list[bool]] = collections.defaultdict(list)
    failures = []
    for item in single_questions():
        status, reply = stack.chat(stack.new_sender(), item["ask"])
        assert status == 200, reply
        said = flat(reply_text(reply))
        wanted = [item["expect"], *(item.get("also") or [])]
        ok = all(flat(fact) in said for fact in wanted)
        results[item["label"]].append(ok)
        if not ok:
            failures.append(f"  [{item['label']}] {item['ask']!r} wants {wanted}: {said[:160]!r}")
    total = sum(len(v) for v in results.values())
    passed = sum(sum(v) for v in results.values())
    by_label = {label: sum(v) / len(v) for label, v in results.items()}
    print(f"\nanswer tests: {passed}/{total} = {passed / total:.3f}")
    print("\n".join(failures))
    weak = {label: round(score, 2) for label, score in by_label.items()
            if score < MIN_PER_LABEL and len(results[label]) >= 3}
    assert passed / total >= MIN_OVERALL, f"{passed}/{total}\n" + "\n".join(failures)
    assert not weak, weak
    published = load_measured()  # what /about-this-assistant says
    assert published["answers"]["questions"] == total
    assert published["answers"]["correct"] <= passed / total + 0.01
    assert published["conversations"]["count"] == len(conversations())


def conversations() -> list[dict[str, Any]]:
    path = ANSWERS / "conversations.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]


@pytest.mark.parametrize("conversation", conversations(), ids=lambda c: c["name"])
def test_conversation(stack: Stack, conversation: dict[str, Any]) -> None:
    """Each turn's reply says what it must and nothing it must not; no question is asked
    three times (no loops); the conversation reaches its end."""
    sender = stack.new_sender()
    seen: collections.Counter[str] = collections.Counter()
    for number, turn in enumerate(conversation["turns"], start=1):
        status, reply = stack.chat(sender, turn["say"])
        assert status == 200, reply
        said = flat(reply_text(reply))
        where = f"turn {number} {turn['say']!r} got {said[:300]!r}"
        for fact in turn.get("expect") or []:
            assert flat(fact) in said, f"{where}: missing {fact!r}"
        for fact in turn.get("never") or []:
            assert flat(fact) not in said, f"{where}: should not say {fact!r}"
        for message in reply:
            text = flat(str(message.get("text") or ""))
            if text.endswith("?"):
                seen[text] += 1
                assert seen[text] < 3, f"{where}: asked 3 times (a loop)"
