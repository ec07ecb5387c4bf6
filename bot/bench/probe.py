"""Where a Rasa server's start-up and per-message time and memory go, measured in-process.

Run in its own process (it loads TensorFlow):

    python -m bot.bench.probe MODEL ACTIONS_URL OUT.json [ROUNDS] [TRACKER_DB]

Start-up: wall time and resident memory after each stage (TensorFlow import, spaCy, Rasa,
model load, first message). Per message: every graph node (NLU components and policies),
the call to the action server, the tracker store and the whole message, timed by wrapping
those methods; the same conversation scenarios as the benchmark (catalogue question,
follow-up in the same conversation, "hallo" in a new one).
"""
from __future__ import annotations

import asyncio
import functools
import inspect
import json
import os
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, List

STARTED = time.monotonic()


def _rss_mb() -> float:
    from bot.bench.memory import rss_mb

    return rss_mb(os.getpid()) or 0.0


class Timings:
    def __init__(self) -> None:
        self.enabled = False
        self.current: Dict[str, float] = defaultdict(float)

    def add(self, label: str, seconds: float) -> None:
        if self.enabled:
            self.current[label] += seconds * 1000

    def take(self) -> Dict[str, float]:
        out, self.current = dict(self.current), defaultdict(float)
        return out


TIMINGS = Timings()


def _wrap(owner: Any, attribute: str, label: Callable[[Any], str]) -> None:
    original = getattr(owner, attribute)
    if inspect.iscoroutinefunction(original):
        @functools.wraps(original)
        async def wrapper(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return await original(self, *args, **kwargs)
            finally:
                TIMINGS.add(label(self), time.perf_counter() - started)
    else:
        @functools.wraps(original)
        def wrapper(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                TIMINGS.add(label(self), time.perf_counter() - started)
    setattr(owner, attribute, wrapper)


def main(argv: List[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    model, actions_url, out = argv[0], argv[1], Path(argv[2])
    rounds = int(argv[3]) if len(argv) > 3 else 50
    tracker_db = argv[4] if len(argv) > 4 else None
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    stages: List[Dict[str, Any]] = []

    def mark(stage: str) -> None:
        stages.append({"stage": stage, "seconds": round(time.monotonic() - STARTED, 3), "rss_mb": round(_rss_mb(), 1)})

    mark("python + bot.bench.memory")
    import numpy  # noqa: F401

    mark("import numpy")
    import tensorflow  # noqa: F401

    mark("import tensorflow")
    import spacy  # noqa: F401

    mark("import spacy")
    import sklearn  # noqa: F401

    mark("import sklearn")
    import logging

    from rasa.core.agent import Agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)  # as quiet as a server at its default INFO
    configure_structlog(logging.WARNING)
    from rasa.utils.endpoints import EndpointConfig

    mark("import rasa.core.agent (sanic, rasa)")
    from rasa.core.actions.action import RemoteAction
    from rasa.engine.graph import GraphNode

    _wrap(GraphNode, "__call__", lambda node: f"node {node._node_name}")
    _wrap(RemoteAction, "run", lambda action: "action server call (RemoteAction.run)")

    agent = Agent.load(model, action_endpoint=EndpointConfig(f"{actions_url}/webhook"))
    mark("Agent.load(model)")
    if tracker_db:
        from rasa.core.tracker_store import SQLTrackerStore

        store = SQLTrackerStore(agent.domain, dialect="sqlite", db=tracker_db)
        agent.tracker_store = store
        agent.processor.tracker_store = store
    store_class = type(agent.processor.tracker_store)
    for name in ("save", "retrieve", "retrieve_full_tracker"):
        if name in vars(store_class) or hasattr(store_class, name):
            _wrap(store_class, name, lambda _s, n=name: f"tracker store {n} ({store_class.__name__})")
    mark("tracker store")

    from bot.bench.load import CATALOGUE, FOLLOWUP, PLAIN

    async def say(text: str, sender: str) -> float:
        started = time.perf_counter()
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
        return (time.perf_counter() - started) * 1000

    per_scenario: Dict[str, List[Dict[str, float]]] = {"catalogue": [], "followup": [], "plain": []}

    async def run() -> None:
        await say(PLAIN, "probe-first")
        mark("first message")
        for _ in range(3):  # warm-up
            await say(CATALOGUE, f"w-{uuid.uuid4().hex[:6]}")
        TIMINGS.enabled = True
        for _ in range(rounds):
            conversation = f"p-{uuid.uuid4().hex[:8]}"
            for scenario, text, sender in (("catalogue", CATALOGUE, conversation),
                                           ("followup", FOLLOWUP, conversation),
                                           ("plain", PLAIN, f"p-{uuid.uuid4().hex[:8]}")):
                TIMINGS.take()
                total = await say(text, sender)
                per_scenario[scenario].append({"total": total, **TIMINGS.take()})

    asyncio.run(run())
    mark(f"after {rounds} rounds x 3 messages")

    def medians(items: List[Dict[str, float]]) -> Dict[str, float]:
        from bot.bench.stats import median

        keys = sorted({k for item in items for k in item})
        return {k: round(median([item.get(k, 0.0) for item in items]), 3) for k in keys}

    result = {"stages": stages, "per_message_ms_median": {s: medians(v) for s, v in per_scenario.items()},
              "rounds": rounds, "tracker_store": store_class.__name__}
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
