"""Sanity checks for the NLU training data and the held-out intent test set."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TRAIN_DIR = ROOT / "data" / "nlu"
HELDOUT = ROOT / "tests" / "nlu" / "heldout"
# Answers to the check's questions ("she's 3", "the nursery") only make sense in a
# conversation: they are tested as conversations (tests/answers/conversations.yml).
NOT_HELD_OUT = {"inform"}

MIN_HELDOUT = 400
MIN_HELDOUT_PER_INTENT = 5
MIN_TRAIN_PER_INTENT = 30

# Rasa markup for entities/synonyms, e.g. [Hitchin](place) or [x]{"entity": ...}.
ENTITY_MARKUP = re.compile(r"\[[^\]]*\]\s*[({]")


def normalise(text: str) -> str:
    """Lowercase, drop punctuation and collapse whitespace."""
    text = re.sub(r"[^\w\s]", "", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def parse_examples(block: str) -> list[str]:
    examples = []
    for line in block.splitlines():
        line = line.strip()
        if not line:
            continue
        assert line.startswith("- "), f"bad example line: {line!r}"
        examples.append(line[2:].strip())
    return examples


def load_nlu(path: Path) -> dict[str, list[str]]:
    with path.open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    assert isinstance(doc, dict), f"{path} is not a mapping"
    assert str(doc.get("version")) == "3.1", f"{path}: version must be '3.1'"
    assert isinstance(doc.get("nlu"), list), f"{path}: missing nlu list"
    out: dict[str, list[str]] = {}
    for item in doc["nlu"]:
        assert "intent" in item and "examples" in item, f"{path}: bad item {item!r}"
        out.setdefault(item["intent"], []).extend(parse_examples(item["examples"]))
    return out


def merge(parts: list[dict[str, list[str]]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for intent, examples in part.items():
            merged.setdefault(intent, []).extend(examples)
    return merged


TRAIN_FILES = sorted(TRAIN_DIR.glob("*.yml"))


@pytest.fixture(scope="module")
def train() -> dict[str, list[str]]:
    assert TRAIN_FILES, "no training files in data/nlu"
    return merge([load_nlu(p) for p in TRAIN_FILES])


@pytest.fixture(scope="module")
def heldout() -> dict[str, list[str]]:
    return merge([load_nlu(p) for p in sorted(HELDOUT.glob("*.yml"))])


def test_training_files_load() -> None:
    for path in TRAIN_FILES:
        assert load_nlu(path), f"{path} has no intents"


def test_training_has_enough_examples(train: dict[str, list[str]]) -> None:
    small = {i: len(e) for i, e in train.items() if len(e) < MIN_TRAIN_PER_INTENT}
    assert not small, f"intents with too few training examples: {small}"


def test_no_entity_annotations(train: dict[str, list[str]], heldout: dict[str, list[str]]) -> None:
    bad = [
        ex
        for data in (train, heldout)
        for examples in data.values()
        for ex in examples
        if ENTITY_MARKUP.search(ex)
    ]
    assert not bad, f"entity annotations found: {bad[:10]}"


def test_no_duplicate_or_conflicting_training_examples(train: dict[str, list[str]]) -> None:
    seen: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for intent, examples in train.items():
        for ex in examples:
            key = normalise(ex)
            seen.setdefault(key, set()).add(intent)
            counts[key] += 1
    conflicts = {k: v for k, v in seen.items() if len(v) > 1}
    assert not conflicts, f"same example under several intents: {conflicts}"
    dupes = [k for k, n in counts.items() if n > 1]
    assert not dupes, f"duplicate training examples: {dupes}"


def test_heldout_size_and_coverage(
    train: dict[str, list[str]], heldout: dict[str, list[str]]
) -> None:
    total = sum(len(e) for e in heldout.values())
    assert total >= MIN_HELDOUT, f"held-out set has only {total} messages"
    missing = set(train) - set(heldout) - NOT_HELD_OUT
    assert not missing, f"intents without held-out messages: {sorted(missing)}"
    thin = {i: len(e) for i, e in heldout.items() if len(e) < MIN_HELDOUT_PER_INTENT}
    assert not thin, f"intents with too few held-out messages: {thin}"


def test_heldout_intents_exist_in_training(
    train: dict[str, list[str]], heldout: dict[str, list[str]]
) -> None:
    unknown = set(heldout) - set(train)
    assert not unknown, f"held-out intents not in training data: {sorted(unknown)}"


def test_heldout_repeats_are_only_short_common_phrases(heldout: dict[str, list[str]]) -> None:
    """Six writers wrote independently, so a few short phrases ("hiya", "any others?") came
    from more than one; they are measured once (tests/test_understanding.py)."""
    counts = Counter(normalise(ex) for examples in heldout.values() for ex in examples)
    long_repeats = [k for k, n in counts.items() if n > 1 and len(k.split()) > 8]
    assert not long_repeats, f"long held-out messages repeated: {long_repeats}"


def test_no_overlap_between_training_and_heldout(
    train: dict[str, list[str]], heldout: dict[str, list[str]]
) -> None:
    train_keys = {normalise(ex) for examples in train.values() for ex in examples}
    overlap = sorted(
        ex for examples in heldout.values() for ex in examples if normalise(ex) in train_keys
    )
    assert not overlap, f"held-out messages also in training data: {overlap}"


def test_question_rules_are_generated_from_the_one_list_of_questions() -> None:
    """data/rules/questions.yml is `python -m bot.guidance.topics` (run `make rules` after editing
    bot/guidance/topics.py); every question intent is in the domain and has a content topic."""
    from bot.guidance.content import load_content
    from bot.guidance.topics import QUESTIONS, question_rules

    assert (ROOT / "data" / "rules" / "questions.yml").read_text() == question_rules()
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    content = load_content()
    for question in QUESTIONS:
        assert question.intent in domain["intents"], question.intent
        assert question.topic in content.topics or question.topic == "evidence", question
