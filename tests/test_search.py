"""When the model is unsure: the nearest topics by ranked search, and the detail asked about."""

from __future__ import annotations

import pytest

from bot.guidance.search import focus, suggestions


@pytest.mark.parametrize(
    ("text", "payload"),
    [
        ("tribunal apeal help please", "/ask_legal_advice"),
        ("waitin list how long", "/ask_waiting_times"),
        ("inclusion funding DAF", "/ask_funding"),
        ("specialist development centre places", "/ask_centres"),
    ],
)
def test_a_message_the_model_is_unsure_of_gets_the_nearest_topics(herts, text, payload) -> None:
    options = suggestions(text, herts)
    assert 1 <= len(options) <= 3
    assert payload in [p for _, p in options]
    assert all(title for title, _ in options)


@pytest.mark.parametrize("text", ["zzkq vvbn", "purple elephant saxophone", "?!"])
def test_nothing_near_keeps_the_plain_fallback(herts, text) -> None:
    assert suggestions(text, herts) == []


def test_a_question_about_one_detail_gets_that_sentence(herts) -> None:
    funding = herts.topics["funding"].more or ""
    assert "DAF" in (focus("can we claim inclusion funding and DAF for one child", funding,
                           herts) or "")
    assert focus("hello", funding, herts) is None
