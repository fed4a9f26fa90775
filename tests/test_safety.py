"""The safeguarding detector: every danger message caught, no false alarms on behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.guidance.safety import suggests_child_at_risk

CASES = yaml.safe_load((Path(__file__).parent / "data" / "safeguarding_cases.yml").read_text())


@pytest.mark.parametrize("text", CASES["danger"])
def test_danger_is_caught(text: str) -> None:
    assert suggests_child_at_risk(text)


@pytest.mark.parametrize("text", CASES["behaviour"])
def test_everyday_behaviour_is_not_an_alarm(text: str) -> None:
    assert not suggests_child_at_risk(text)


def test_case_and_punctuation_do_not_matter() -> None:
    assert suggests_child_at_risk("MY PARTNER HITS MY SON!!!")
