"""The action server as the Procfile runs it (plain `python -m rasa_sdk`): the actions and the
dialogue they call load neither spaCy nor TensorFlow, without any import trick."""
from pathlib import Path


def test_the_action_server_answers_without_loading_spacy_or_tensorflow(stack):
    [process] = [p for p in stack.processes if "rasa_sdk" in " ".join(p.args)]
    messages = stack.say("no-tensorflow", "Wat is het Vlaams opleidingsverlof?")
    assert any("Bron" in (m.get("text") or "") for m in messages), messages
    loaded = Path(f"/proc/{process.pid}/maps").read_text()
    assert "tensorflow" not in loaded and "spacy" not in loaded
