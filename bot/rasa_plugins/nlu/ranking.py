"""Overriding the intent classifier's guess without tripping the fallback classifier.

When a rule-based component overrides the model (a child at risk, another language), the
model's own ranking is kept below the new top intent, halved, so that Rasa's
FallbackClassifier never sees two near-equal intents and falls back: a confident model guess
of 0.99 would otherwise sit within its ambiguity threshold of the override's 1.0.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.nlu.constants import PREDICTED_CONFIDENCE_KEY

OVERRULED_SHARE = 0.5


def overruled(ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranking with every confidence halved."""
    return [
        {**item, PREDICTED_CONFIDENCE_KEY: float(item.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
         * OVERRULED_SHARE}
        for item in ranking
    ]
