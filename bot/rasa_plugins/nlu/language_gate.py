"""A Rasa NLU component that routes messages in another language to their fixed reply.

It learns the English words of the training data when the model is trained, and at run
time turns a message that ``bot.guidance.languages`` finds to be in another language into the
``other_language`` intent, with the language's code in the parse data (``language``).
"""

from __future__ import annotations

import json
from collections import Counter
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
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.guidance.languages import LanguageDetector, place_words, words
from bot.rasa_plugins.nlu.ranking import overruled

OTHER_LANGUAGE_INTENT = "other_language"
LANGUAGE_KEY = "language"
VOCABULARY_FILE = "english_words.json"
MIN_EXAMPLES = 2


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LanguageGate(GraphComponent, IntentClassifier):
    """Sets the intent to other_language for a message in another language."""

    @classmethod
    def required_components(cls) -> list[type]:
        """None to train; config.yml places it after the intent classifier."""
        return []

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, english: list[str] | None = None
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._english = english or []
        # Built when the model is loaded (0.2 s), not on the first message.
        self._detector = LanguageDetector(self._english) if self._english else None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageGate:
        """A new gate (it learns its English words in training)."""
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Keep every word of the training examples as an English word."""
        counts: Counter[str] = Counter()
        for example in training_data.intent_examples:
            counts.update(set(words(example.get(TEXT) or "")))
        # A word seen in two examples or more: one-off typos and names ("nu", "mi") are
        # as likely to be another language's words. Place names people give ("goffs oak")
        # come from every council's content.
        english = {w for w, n in counts.items() if n >= MIN_EXAMPLES} | place_words()
        self._english = sorted(english)
        self._detector = LanguageDetector(self._english)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(self._english))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguageGate:
        """Load the English words learnt in training."""
        try:
            with model_storage.read_from(resource) as directory:
                english = json.loads((directory / VOCABULARY_FILE).read_text())
        except (ValueError, FileNotFoundError):
            english = []
        return cls(model_storage, resource, english)

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark messages in another language; English ones pass unchanged."""
        if self._detector is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            code = self._detector.detect(text)
            if code is None:
                continue
            top = {INTENT_NAME_KEY: OTHER_LANGUAGE_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get(INTENT_NAME_KEY) != OTHER_LANGUAGE_INTENT]
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top, *overruled(ranking)], add_to_output=True)
            message.set(LANGUAGE_KEY, code, add_to_output=True)
        return messages
