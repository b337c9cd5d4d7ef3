"""What this project's trainable Rasa components share: a config merged over defaults, and
a trained state kept as named numpy arrays in one `.npz` file of the model archive (no
pickle). Runs inside the Rasa venv."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData


class ArrayStateComponent(GraphComponent):
    """A trainable component whose `model` is saved with `save` and read back by `load`
    through the subclass's `model_from_arrays`."""

    STATE_FILE: ClassVar[str]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Any = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ArrayStateComponent:
        """A new, untrained component."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ArrayStateComponent:
        """The trained component from the model archive."""
        with (
            model_storage.read_from(resource) as directory,
            np.load(directory / cls.STATE_FILE, allow_pickle=False) as arrays,
        ):
            model = cls.model_from_arrays(arrays)
        return cls(config, model_storage, resource, model)

    @classmethod
    def model_from_arrays(cls, arrays: Any) -> Any:
        """The trained state read back from what `save` wrote."""
        raise NotImplementedError

    def save(self, arrays: dict[str, np.ndarray]) -> Resource:
        """Write the trained state's `arrays` into the model archive."""
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / self.STATE_FILE, **arrays)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to add to the training data."""
        return training_data
