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

from tests.conftest import ROOT

MODEL = Path(os.environ.get("MODEL_PATH", ROOT / "models" / "assistant.tar.gz"))
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
CASES = yaml.safe_load((ROOT / "tests" / "data" / "safeguarding_cases.yml").read_text())
MIN_ACCURACY = 0.95


def heldout_examples() -> list[tuple[str, str]]:
    """(text, intent) pairs from the held-out file."""
    data = yaml.safe_load(HELDOUT.read_text())
    pairs = []
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((line[2:].strip(), block["intent"]))
    return pairs


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
    assert len(heldout_examples()) >= 150


def test_intent_accuracy_on_heldout(parse) -> None:
    examples = heldout_examples()
    errors = [(text, want, got) for text, want in examples if (got := parse(text)) != want]
    accuracy = 1 - len(errors) / len(examples)
    by_intent = collections.Counter(want for _, want, _ in errors)
    report = "\n".join(f"  {want} -> {got}: {text}" for text, want, got in errors)
    print(f"\nheld-out intent accuracy {accuracy:.3f} on {len(examples)} messages")
    assert accuracy >= MIN_ACCURACY, f"accuracy {accuracy:.3f}; errors {dict(by_intent)}\n{report}"


def test_danger_always_reaches_safeguarding(parse) -> None:
    missed = [text for text in CASES["danger"] if parse(text) != "safeguarding_concern"]
    assert not missed


def test_behaviour_questions_are_not_safeguarding(parse) -> None:
    alarms = [text for text in CASES["behaviour"] if parse(text) == "safeguarding_concern"]
    assert not alarms
