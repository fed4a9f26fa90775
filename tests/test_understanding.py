"""Understanding, measured on the trained model with messages it never trained on.

Needs the model that `make test` trains first (models/assistant.tar.gz); without
it these tests fail rather than skip, so a missing model can't pass silently.
"""

from __future__ import annotations

import asyncio
import collections
import os
import re
from pathlib import Path

import pytest
import yaml

from bot.guidance.content import load_measured
from tests.helpers import ROOT

MODEL = Path(os.environ.get("MODEL_PATH", ROOT / "models" / "assistant.tar.gz"))
HELDOUT = ROOT / "tests" / "nlu" / "heldout"
LANGUAGES = ROOT / "tests" / "nlu" / "languages.yml"
CASES = yaml.safe_load((ROOT / "tests" / "data" / "safeguarding_cases.yml").read_text())
MIN_ACCURACY = 0.95
MIN_PER_INTENT = 0.85
PUBLISHED_SLACK = 0.01  # a published figure may not be better than measured by more


def heldout_examples() -> list[tuple[str, str]]:
    """(text, intent) pairs from the held-out files (one per kind of person); a message two
    writers both wrote is counted once."""
    pairs: dict[str, tuple[str, str]] = {}
    for path in sorted(HELDOUT.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    pairs.setdefault(_normalised(line[2:]), (line[2:].strip(), block["intent"]))
    return list(pairs.values())


@pytest.fixture(scope="module")
def parse():
    """Parse text with the trained model's NLU pipeline (one load for the module)."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    loop = asyncio.new_event_loop()

    def _parse(text: str) -> str:
        result = loop.run_until_complete(agent.parse_message(text))
        return result["intent"]["name"]

    yield _parse
    loop.close()


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower())).strip()


def test_heldout_is_never_trained_on() -> None:
    trained = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            for line in block.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    trained.add(_normalised(line.strip()[2:]))
    overlap = [t for t, _ in heldout_examples() if _normalised(t) in trained]
    assert not overlap, overlap
    assert len(heldout_examples()) >= 400


def test_intent_accuracy_on_heldout(parse) -> None:
    examples = heldout_examples()
    errors = [(text, want, got) for text, want in examples if (got := parse(text)) != want]
    accuracy = 1 - len(errors) / len(examples)
    fallback = sum(got == "nlu_fallback" for _, _, got in errors) / len(examples)
    totals = collections.Counter(want for _, want in examples)
    wrong = collections.Counter(want for _, want, _ in errors)
    weak = {i: round(1 - wrong[i] / n, 2) for i, n in totals.items()
            if n >= 5 and 1 - wrong[i] / n < MIN_PER_INTENT}
    report = "\n".join(f"  {want} -> {got}: {text}" for text, want, got in errors)
    print(f"\nheld-out intent accuracy {accuracy:.3f} on {len(examples)} messages, "
          f"fallback rate {fallback:.3f}\n{report}")
    assert accuracy >= MIN_ACCURACY, f"accuracy {accuracy:.3f}; errors {dict(wrong)}\n{report}"
    assert not weak, weak
    published = load_measured()["heldout"]  # what /about-this-assistant says
    assert published["messages"] == len(examples)
    assert published["accuracy"] <= accuracy + PUBLISHED_SLACK, (published, accuracy)
    assert published["fallback"] >= fallback - PUBLISHED_SLACK, (published, fallback)


def test_other_languages_get_the_fixed_reply_and_english_never_does(parse) -> None:
    messages = yaml.safe_load(LANGUAGES.read_text(encoding="utf-8"))["languages"]
    foreign = [m for texts in messages.values() for m in texts]
    missed = [m for m in foreign if parse(m) != "other_language"]
    english = [text for text, _ in heldout_examples() if parse(text) == "other_language"]
    assert len(missed) <= len(foreign) * 0.05, missed
    assert not english, english
    recognised = 1 - len(missed) / len(foreign)
    assert load_measured()["languages"]["recognised"] <= recognised + PUBLISHED_SLACK


def test_danger_always_reaches_safeguarding(parse) -> None:
    missed = [text for text in CASES["danger"] if parse(text) != "safeguarding_concern"]
    assert not missed


def test_behaviour_questions_are_not_safeguarding(parse) -> None:
    alarms = [text for text in CASES["behaviour"] if parse(text) == "safeguarding_concern"]
    assert not alarms
