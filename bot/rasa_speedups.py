"""Two of Rasa 3.6's per-message costs, removed without changing what Rasa does.

`apply()` is called by the project's input channels (bot/channels.py) when the Rasa server
registers them, so every Rasa server that serves this bot has both; calling it again is harmless.
Each was found with py-spy on a Rasa server under load (`python -m bot bench profile`).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text


def apply() -> None:
    compile_action_response_validation()
    remember_minimal_graph_schemas()


def compile_action_response_validation() -> None:
    """Rasa 3.6 checks every action server response with jsonschema.validate(), which first
    validates the (constant) response schema against the JSON Schema meta-schema. Measured with
    py-spy under load, that meta-check took 35-58 % of a Rasa server's CPU on turns with a custom
    action. This validates against one compiled validator instead: the same checks, the same
    ValidationError (and message) for a bad response."""
    from jsonschema import exceptions, validators
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction._validate_action_result, "compiled_schema", False):
        return
    spec = RemoteAction.action_response_format_spec()
    validator = validators.validator_for(spec)(spec)

    def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        error = exceptions.best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    _validate_action_result.compiled_schema = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]


def remember_minimal_graph_schemas() -> None:
    """For every message, Rasa 3.6 works out which nodes of the model's graph a prediction needs
    (GraphSchema.minimal_graph_schema) by walking the graph from the targets without remembering
    the nodes it has seen, so shared parts are walked again and again. A loaded model's graph
    never changes, so the answer is kept per graph and targets."""
    from rasa.engine.graph import GraphSchema

    original = GraphSchema.minimal_graph_schema
    if getattr(original, "remembered", False):
        return

    def minimal_graph_schema(self: GraphSchema, targets: Optional[List[Text]] = None) -> GraphSchema:
        remembered = self.__dict__.setdefault("_bot_minimal_schemas", {})
        key = tuple(targets or self.target_names)
        if key not in remembered:
            remembered[key] = original(self, targets)
        return remembered[key]

    minimal_graph_schema.remembered = True  # type: ignore[attr-defined]
    minimal_graph_schema.__wrapped__ = original  # type: ignore[attr-defined]
    GraphSchema.minimal_graph_schema = minimal_graph_schema  # type: ignore[assignment]
