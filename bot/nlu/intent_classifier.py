"""Rasa's DIETClassifier, loaded without a training step.

Rasa 3.6 builds DIET's variables by fitting one batch before it restores the trained weights
(RasaModel.load in rasa/utils/tensorflow/models.py). That traces Keras' training graph with
the optimizer, the largest single cost of a Rasa server's start-up (the benchmark's start-up
row). TensorFlow restores an object-based checkpoint lazily, into each variable when
the layer that owns it is built, so one prediction builds and fills exactly the variables
that prediction uses. Training, persisting and predicting are Rasa's own.
"""
from __future__ import annotations

from typing import Any, Optional, Text, Type

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class PredictionLoadedDIET(DIET):
    @classmethod
    def load(cls, model_file_name: Text, model_data_example: RasaModelData,
             predict_data_example: Optional[RasaModelData] = None, finetune_mode: bool = False,
             *args: Any, **kwargs: Any) -> RasaModel:
        if finetune_mode or predict_data_example is None:
            # Fine-tuning goes on from the optimizer's state, which only the training step builds.
            return super().load(model_file_name, model_data_example, predict_data_example,
                                finetune_mode, *args, **kwargs)
        model = cls(*args, **kwargs)
        status = model.load_weights(model_file_name)
        model.run_inference(predict_data_example)
        # Every variable the prediction built must have come from the checkpoint; the optimizer's
        # slots and training-only layers stay unread on purpose.
        status.assert_existing_objects_matched()
        status.expect_partial()
        return model


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class PredictionLoadedDIETClassifier(DIETClassifier):
    @staticmethod
    def model_class() -> Type[RasaModel]:
        return PredictionLoadedDIET
