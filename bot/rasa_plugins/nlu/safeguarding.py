"""A Rasa NLU component that makes sure danger words always reach the safeguarding route.

It runs after the intent classifier: when ``bot.guidance.safety`` finds that a message
suggests a child may be in danger or being harmed, the intent becomes
``safeguarding_concern`` with full confidence, whatever the model thought.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.guidance.safety import describes_everyday_behaviour, suggests_child_at_risk
from bot.rasa_plugins.nlu.ranking import overruled

SAFEGUARDING_INTENT = "safeguarding_concern"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class SafeguardingOverride(GraphComponent, IntentClassifier):
    """Sets the intent to safeguarding_concern when the words suggest a child at risk."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Runs after another intent classifier."""
        return [IntentClassifier]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafeguardingOverride:
        """Creates the component (it has nothing to train or load)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Override the intent of messages that suggest a child at risk.

        The other way round, a model guess of safeguarding on words that only
        describe everyday behaviour ("bitten by another child") falls back to
        the model's next guess, so ordinary questions don't raise false alarms.
        """
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue
            ranking = [
                item
                for item in message.get(INTENT_RANKING_KEY) or []
                if item.get(INTENT_NAME_KEY) != SAFEGUARDING_INTENT
            ]
            if suggests_child_at_risk(text):
                top = {INTENT_NAME_KEY: SAFEGUARDING_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, top, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [top, *overruled(ranking)], add_to_output=True)
            elif (
                (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == SAFEGUARDING_INTENT
                and ranking
                and describes_everyday_behaviour(text)
            ):
                message.set(INTENT, ranking[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
