"""The action server as the Procfile runs it (python -m bot.action_server): without TensorFlow."""
from pathlib import Path


def test_the_action_server_answers_without_loading_tensorflow(stack):
    [process] = [p for p in stack.processes if "bot.action_server" in p.args]
    messages = stack.say("no-tensorflow", "Wat is het Vlaams opleidingsverlof?")
    assert any("Bron:" in (m.get("text") or "") for m in messages), messages
    loaded = Path(f"/proc/{process.pid}/maps").read_text()
    assert "tensorflow" not in loaded
    assert "spacy" in loaded  # the phrase index's spaCy is there, only TensorFlow is not
