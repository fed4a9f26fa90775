"""A Rasa NLU component that makes sure danger words always reach the safeguarding route.

It runs after the intent classifier: when ``bot.guidance.safety`` finds that a message
suggests a child may be in danger or being harmed, the intent becomes
``safeguarding_concern`` with full confidence, whatever the model thought.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.guidance.safety import describes_everyday_behaviour, suggests_child_at_risk
from bot.rasa_plugins.nlu.component import IntentComponent
from bot.rasa_plugins.nlu.ranking import put_on_top, ranking_without

SAFEGUARDING_INTENT = "safeguarding_concern"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class SafeguardingOverride(IntentComponent):
    """Sets the intent to safeguarding_concern when the words suggest a child at risk.

    It has nothing to train or load.
    """

    @classmethod
    def required_components(cls) -> list[type]:
        """Runs after another intent classifier."""
        return [IntentClassifier]

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
            if suggests_child_at_risk(text):
                put_on_top(message, SAFEGUARDING_INTENT)
                continue
            ranking = ranking_without(message, SAFEGUARDING_INTENT)
            if (
                (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == SAFEGUARDING_INTENT
                and ranking
                and describes_everyday_behaviour(text)
            ):
                message.set(INTENT, ranking[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
