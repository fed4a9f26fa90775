"""A Rasa NLU component that routes messages in another language to their fixed reply.

It learns the English words of the training data when the model is trained, and at run
time turns a message that ``bot.guidance.languages`` finds to be in another language into the
``other_language`` intent, with the language's code in the parse data (``language``).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.guidance.languages import LanguageDetector, place_words, words
from bot.rasa_plugins.nlu.component import IntentComponent
from bot.rasa_plugins.nlu.ranking import put_on_top

OTHER_LANGUAGE_INTENT = "other_language"
LANGUAGE_KEY = "language"
VOCABULARY_FILE = "english_words.json"
MIN_EXAMPLES = 2


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LanguageGate(IntentComponent):
    """Sets the intent to other_language for a message in another language."""

    MODEL_FILE = VOCABULARY_FILE

    @classmethod
    def required_components(cls) -> list[type]:
        """None to train; config.yml places it after the intent classifier."""
        return []

    def use(self, learnt: Any) -> None:
        """Take the English words learnt in training."""
        self._english: list[str] = learnt or []
        # Built when the model is loaded (0.2 s), not on the first message.
        self._detector = LanguageDetector(self._english) if self._english else None

    @staticmethod
    def read_learnt(path: Path) -> Any:
        """The English words, from the model."""
        return json.loads(path.read_text())

    @staticmethod
    def write_learnt(learnt: Any, path: Path) -> None:
        """Write the English words to the model."""
        path.write_text(json.dumps(learnt))

    def train(self, training_data: TrainingData) -> Resource:
        """Keep every word of the training examples as an English word."""
        counts: Counter[str] = Counter()
        for example in training_data.intent_examples:
            counts.update(set(words(example.get(TEXT) or "")))
        # A word seen in two examples or more: one-off typos and names ("nu", "mi") are
        # as likely to be another language's words. Place names people give ("goffs oak")
        # come from every council's content.
        english = {w for w, n in counts.items() if n >= MIN_EXAMPLES} | place_words()
        self.use(sorted(english))
        return self.keep(self._english)

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
            put_on_top(message, OTHER_LANGUAGE_INTENT)
            message.set(LANGUAGE_KEY, code, add_to_output=True)
        return messages
