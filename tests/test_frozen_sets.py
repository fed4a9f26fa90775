"""The held-out messages, other-language messages and answer questions are frozen.

They were written blind (tests/nlu/BRIEF.md) and committed before the training data changed.
A changed checksum means someone edited a set after seeing the model's answers, which would
make its figures meaningless: write a new set instead.
"""

from __future__ import annotations

import hashlib

from tests.helpers import ROOT

TESTS = ROOT / "tests"


def test_frozen_sets_are_unchanged() -> None:
    lines = (TESTS / "nlu" / "FROZEN.sha256").read_text().split("\n")
    expected = dict(reversed(line.split()) for line in lines if line.strip())
    assert len(expected) >= 8
    for name, digest in expected.items():
        actual = hashlib.sha256((TESTS / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} changed after it was frozen"
