"""Redaction measured on labelled messages: every personal detail in the corpora removed, and
ordinary messages (the frozen held-out set, never edited here) left as they were.

``tests/data/pii_corpus.yml`` holds messages with names, phone numbers, dates, e-mail addresses,
postcodes, addresses and settings, each with the exact text redaction must leave; it was
written by the engineer who wrote the patterns. ``tests/data/pii_blind.yml`` (240 messages) was
written blind, by someone who saw only what counts as a personal detail, never the patterns:
each message lists the details that must not survive. The figures are in docs/privacy.md.
"""

from __future__ import annotations

import collections

import pytest
import yaml

from bot.guidance.privacy import normalise, redact
from tests.helpers import ROOT
from tests.helpers.heldout import ordinary_messages

CORPUS = ROOT / "tests" / "data" / "pii_corpus.yml"
BLIND = ROOT / "tests" / "data" / "pii_blind.yml"
MAX_CHANGED = 0.02
KINDS = ("name", "phone", "date", "email", "postcode", "address", "setting")


def corpus() -> list[dict]:
    """The labelled messages with personal details."""
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["messages"]


def survives(detail: str, postcode: bool, redacted: str) -> bool:
    """Whether ``detail`` is still in ``redacted`` (of a postcode, its inward part counts)."""
    probe = normalise(detail)
    if postcode:
        probe = probe.split(" ")[-1] if " " in probe else probe[-3:]
    return probe.lower() in redacted.lower()


def left_over(entry: dict, redacted: str) -> list[str]:
    """Details of ``entry`` still in ``redacted``."""
    postcode = entry["kinds"] == ["postcode"]
    return [d for d in entry["details"] if survives(d, postcode, redacted)]


def test_the_corpus_covers_every_kind_of_detail() -> None:
    entries = corpus()
    kinds = collections.Counter(k for e in entries for k in e["kinds"])
    assert len(entries) >= 300
    assert all(kinds[k] >= 9 for k in KINDS), kinds
    assert len({e["text"] for e in entries}) == len(entries)


def test_every_personal_detail_in_the_corpus_is_removed() -> None:
    """Recall 100 %: no detail is left, and each message reads exactly as labelled."""
    missed, wrong = [], []
    for entry in corpus():
        out = redact(entry["text"])
        if left := left_over(entry, out):
            missed.append((entry["text"], left))
        if out != normalise(entry["redacted"]):
            wrong.append((entry["text"], out, entry["redacted"]))
    assert not missed, missed
    assert not wrong, wrong


def test_no_detail_of_the_blind_corpus_survives() -> None:
    """Recall 100 % on the corpus written blind: no listed detail is left after redaction."""
    entries = yaml.safe_load(BLIND.read_text(encoding="utf-8"))["messages"]
    details = [d for e in entries for d in e["details"]]
    assert len(entries) >= 240 and len(details) >= 400
    missed = [
        (d["kind"], d["value"], out)
        for e in entries
        for out in [redact(e["text"])]
        for d in e["details"]
        if survives(d["value"], d["kind"] == "postcode", out)
    ]
    assert not missed, missed


def test_ordinary_messages_are_left_as_they_were() -> None:
    """At most 2 % of the held-out messages (written without personal details) change."""
    messages = [text for text, _ in ordinary_messages()]
    changed = [(t, redact(t)) for t in messages if redact(t) != t]
    assert len(messages) >= 300
    assert len(changed) <= MAX_CHANGED * len(messages), changed


@pytest.mark.parametrize(
    "text",
    [
        "I'm worried about my son",
        "I am a childminder in Royston",
        "this is about my son",
        "I'm Polish and my English is not good",
        "my son Autistic, no words",
        "my son will be 3 in May",
        "my daughter may need help",
        "he is 2 and a half, born 3 years ago? no, 2",
        "we are in SG8, Tier 3 support, his IEP, 0-5 years, call 999",
        "she was born in 2022",
        "since September 2024 the nursery has tried",
        "she goes to a private day nursery",
        "St Albans or Welwyn Garden City",
        "Which DSPL is Bishop's Stortford in?",
        "Reception teacher here",
        "Thank you dear, you've been very patient with me.",
        "I Am Worried About My Son Is This The Right Place",
    ],
)
def test_words_the_assistant_needs_are_kept(text: str) -> None:
    assert redact(text) == text


def test_every_town_the_content_names_is_kept() -> None:
    from bot.guidance.content import load_content

    dspl = load_content().dspl
    assert dspl is not None
    for town in (t for area in dspl.areas for t in area.towns):
        for text in (f"we live in {town}", f"I'm in {town}", f"{town} please"):
            assert redact(text) == text
