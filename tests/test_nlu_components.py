"""The custom NLU components, run on Rasa Message objects without a server."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.nlu.linear_classifier import (
    LinearIntentClassifier,
    build_pipeline,
    decision_scores,
    softmax_scores,
)
from bot.rasa_plugins.nlu.safeguarding import SafeguardingOverride


def _message(text: str, ranking: list[tuple[str, float]]) -> Message:
    items = [{"name": name, "confidence": conf} for name, conf in ranking]
    message = Message(data={TEXT: text})
    message.set(INTENT, items[0])
    message.set(INTENT_RANKING_KEY, items)
    return message


def test_fast_scores_equal_the_pipelines_own() -> None:
    examples = {"hello there": "greet", "hi": "greet", "can I refer my son": "refer",
                "is my child eligible": "refer", "bye for now": "bye", "goodbye": "bye"}
    config = LinearIntentClassifier.get_default_config()
    pipeline = build_pipeline(config).fit(list(examples), list(examples.values()))
    texts = ["can i refer her please", "hello", "", "zzz"]
    assert np.allclose(decision_scores(pipeline, texts), pipeline.decision_function(texts))


def test_softmax_rows_sum_to_one_and_keep_order() -> None:
    probs = softmax_scores(np.array([[2.0, 0.5, -1.0]]), temperature=5.0)
    assert abs(probs.sum() - 1) < 1e-9
    assert probs[0].argmax() == 0


def test_danger_words_win_whatever_the_model_said() -> None:
    message = _message("my partner hits my son", [("ask_behaviour_support", 0.9)])
    SafeguardingOverride().process([message])
    assert message.get(INTENT)["name"] == "safeguarding_concern"
    assert message.get(INTENT)["confidence"] == 1.0


@pytest.mark.parametrize(
    ("text", "ranking", "intent"),
    [
        pytest.param(
            "my daughter was bitten by another child",
            [("safeguarding_concern", 0.7), ("ask_behaviour_support", 0.2)],
            "ask_behaviour_support",
            id="everyday behaviour is not left as safeguarding",
        ),
        pytest.param(
            "something odd is going on at home with the baby",
            [("safeguarding_concern", 0.8), ("inform", 0.1)],
            "safeguarding_concern",
            id="the model's safeguarding guess is kept when nothing says otherwise",
        ),
        pytest.param(
            '/inform{"choice":"yes"}', [("inform", 1.0)], "inform",
            id="button payloads are left alone",
        ),
    ],
)
def test_the_override_leaves_what_is_not_danger_to_the_model(
    text: str, ranking: list[tuple[str, float]], intent: str
) -> None:
    message = _message(text, ranking)
    SafeguardingOverride().process([message])
    assert message.get(INTENT)["name"] == intent


def test_an_override_is_never_within_the_fallback_ambiguity_threshold() -> None:
    """A confident model guess (0.99) must not sit within 0.02 of the override's 1.0, or
    Rasa's FallbackClassifier would turn a child at risk into "didn't understand"."""
    message = _message("my partner hits my son", [("ask_behaviour_support", 0.99),
                                                  ("inform", 0.01)])
    SafeguardingOverride().process([message])
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0]["name"] == "safeguarding_concern"
    assert ranking[0]["confidence"] - ranking[1]["confidence"] >= 0.5
