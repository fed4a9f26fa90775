"""What the assistant's intent components share: how Rasa makes, stores and loads them.

Rasa's graph asks each component for the same ``create`` and ``load`` class methods; ours
differ only in what they learn in training, which each keeps in one file of the model
(``MODEL_FILE``, read and written by ``read_learnt`` / ``write_learnt``). A component that
learns nothing leaves ``MODEL_FILE`` unset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from typing_extensions import Self


class IntentComponent(GraphComponent, IntentClassifier):
    """An intent classifier made from its config, with what it learnt in the model."""

    MODEL_FILE: ClassVar[str | None] = None

    def __init__(
        self,
        config: dict[str, Any] | None = None,
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        learnt: Any = None,
    ) -> None:
        self.config = {**self.get_default_config(), **(config or {})}
        self._model_storage = model_storage
        self._resource = resource
        self.use(learnt)

    def use(self, learnt: Any) -> None:
        """Take what training learnt (None when it learnt nothing)."""

    @staticmethod
    def read_learnt(path: Path) -> Any:
        """What training learnt, from its file in the model."""
        raise NotImplementedError

    @staticmethod
    def write_learnt(learnt: Any, path: Path) -> None:
        """Write what training learnt to its file in the model."""
        raise NotImplementedError

    def keep(self, learnt: Any) -> Resource:
        """Store what training learnt in the model; the resource to give back to Rasa."""
        assert self._model_storage is not None and self._resource is not None
        assert self.MODEL_FILE is not None
        with self._model_storage.write_to(self._resource) as directory:
            self.write_learnt(learnt, directory / self.MODEL_FILE)
        return self._resource

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        """A new component, before training."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Self:
        """The component with what it learnt (nothing if it was never trained)."""
        learnt = None
        if cls.MODEL_FILE is not None:
            try:
                with model_storage.read_from(resource) as directory:
                    learnt = cls.read_learnt(directory / cls.MODEL_FILE)
            except (ValueError, FileNotFoundError):
                learnt = None
        return cls(config, model_storage, resource, learnt)
