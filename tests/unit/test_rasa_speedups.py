"""bot.rasa_speedups on the trained model's own prediction graph: the same minimal graphs as
Rasa works out, worked out once."""
import pytest
from rasa.engine.graph import GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage

from bot import rasa_speedups
from tests.servers import MODEL


@pytest.fixture(scope="module")
def predict_schema():
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make setup` first")
    return LocalModelStorage.metadata_from_archive(MODEL).predict_schema


def test_minimal_graph_schemas_are_rasas_and_are_worked_out_once(predict_schema, monkeypatch):
    rasas = GraphSchema.minimal_graph_schema
    if getattr(rasas, "remembered", False):  # applied earlier in this test session
        rasas = rasas.__wrapped__
    monkeypatch.setattr(GraphSchema, "minimal_graph_schema", rasas)
    targets = [[name] for name in predict_schema.nodes] + [None, predict_schema.target_names]
    expected = {str(t): rasas(predict_schema, t).nodes for t in targets}
    calls = []

    def counted(self, targets=None):
        calls.append(targets)
        return rasas(self, targets)

    monkeypatch.setattr(GraphSchema, "minimal_graph_schema", counted)
    rasa_speedups.remember_minimal_graph_schemas()
    for _ in range(3):
        for t in targets:
            assert predict_schema.minimal_graph_schema(t).nodes == expected[str(t)]
    # once per question; no targets means the graph's targets
    assert len(calls) == len({tuple(t or predict_schema.target_names) for t in targets})
    rasa_speedups.remember_minimal_graph_schemas()  # applying twice changes nothing
    assert GraphSchema.minimal_graph_schema.__wrapped__ is counted
