"""Intent accuracy of a trained NLU model on a JSON list of {text, intent}; run in its own
process (it loads TensorFlow): `python -m bot.bench.nlu_eval MODEL EXAMPLES.json OUT.json`.

`correct` counts the served intent (after the FallbackClassifier); `correct_top_intent` counts
the best intent that is not nlu_fallback, i.e. the classifier alone.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import List

FALLBACK = "nlu_fallback"


def evaluate(model: Path, examples: List[dict]) -> dict:
    from rasa.core.agent import Agent

    started = time.monotonic()
    agent = Agent.load(str(model))
    load_seconds = time.monotonic() - started

    async def run() -> List[dict]:
        out = []
        for example in examples:
            parsed = await agent.parse_message(example["text"])
            served = (parsed.get("intent") or {}).get("name")
            ranking = [r.get("name") for r in parsed.get("intent_ranking", [])]
            top = next((name for name in ranking if name != FALLBACK), served)
            out.append({"text": example["text"], "expected": example["intent"], "served": served,
                        "top_intent": top})
        return out

    started = time.monotonic()
    predictions = asyncio.run(run())
    parse_seconds = time.monotonic() - started
    return {
        "n": len(predictions),
        "correct": sum(p["served"] == p["expected"] for p in predictions),
        "correct_top_intent": sum(p["top_intent"] == p["expected"] for p in predictions),
        "fallback": sum(p["served"] == FALLBACK for p in predictions),
        "load_seconds": load_seconds,
        "parse_ms_mean": 1000 * parse_seconds / max(1, len(predictions)),
        "predictions": predictions,
    }


def main(argv: List[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.basicConfig(level=logging.WARNING)
    model, examples, out = Path(argv[0]), Path(argv[1]), Path(argv[2])
    result = evaluate(model, json.loads(examples.read_text(encoding="utf-8")))
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{result['correct']}/{result['n']} correct ({result['fallback']} fallback)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
