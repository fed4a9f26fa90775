"""Overriding the intent classifier's guess without tripping the fallback classifier.

When a rule-based component overrides the model (a child at risk, another language), the
model's own ranking is kept below the new top intent, halved, so that Rasa's
FallbackClassifier never sees two near-equal intents and falls back: a confident model guess
of 0.99 would otherwise sit within its ambiguity threshold of the override's 1.0.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

OVERRULED_SHARE = 0.5


def overruled(ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranking with every confidence halved."""
    return [
        {**item, PREDICTED_CONFIDENCE_KEY: float(item.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
         * OVERRULED_SHARE}
        for item in ranking
    ]


def ranking_without(message: Message, intent: str) -> list[dict[str, Any]]:
    """The message's intent ranking, less ``intent``."""
    return [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != intent]


def put_on_top(message: Message, intent: str) -> None:
    """Make ``intent`` the message's intent, with full confidence, over the model's ranking."""
    top = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = ranking_without(message, intent)
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *overruled(ranking)], add_to_output=True)
