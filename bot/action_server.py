"""`python -m bot.action_server --actions actions --port 5055`: Rasa's action server (rasa_sdk)
without TensorFlow.

The actions use spaCy (the catalogue's phrase index); spaCy's thinc imports TensorFlow whenever
it is installed, and it is, for Rasa. The action server never runs a TensorFlow model, yet the
import cost it about 480 MB resident and seconds of start-up. Marking the module as absent
before anything imports spaCy makes thinc skip it. Same arguments as `rasa run actions`.
"""
from __future__ import annotations

import sys


def main() -> None:
    sys.modules["tensorflow"] = None  # type: ignore[assignment]  # an import of it now fails fast
    from rasa_sdk.__main__ import main as run_action_server

    run_action_server()


if __name__ == "__main__":
    main()
