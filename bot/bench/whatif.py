"""What-if for the action server's biggest per-message cost, measured without changing the
project's code: `answer_message` as it is (two full-catalogue ORM loads via list_measures) against
the same resolution with two column queries. Run in its own process:
`BOT_DATABASE_URL=... python -m bot.bench.whatif OUT.json [CALLS]`."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import List


def answer_message_light(session, intent, entities, context):
    """bot.answers.answer_message with the measure ids, priorities and the instrument -> measure
    map read as plain columns instead of loading the whole catalogue as objects (twice)."""
    from sqlalchemy import select

    from bot.answers import answer_topic
    from bot.catalogue.models import Instrument, Measure
    from bot.dialogue import measure_for_intent, resolve_topic

    measures = session.execute(select(Measure.id, Measure.priority)).all()
    instruments = dict(session.execute(select(Instrument.id, Instrument.measure_id)).all())
    topic = resolve_topic(measure_for_intent(intent, [m.id for m in measures]), entities, instruments, context,
                          umbrella_ids={m.id for m in measures if m.priority is None})
    return answer_topic(session, topic), topic


def main(argv: List[str]) -> int:
    out = Path(argv[0])
    calls = int(argv[1]) if len(argv) > 1 else 30
    from bot.answers import answer_message
    from bot.bench.load import CATALOGUE, FOLLOWUP
    from bot.bench.stats import median
    from bot.catalogue.db import session_scope
    from bot.nlu.catalogue_index import CatalogueIndex

    index = CatalogueIndex()
    index.refresh()
    cases = [("catalogue", "ask_opleidingsverlof_e_leren", index.entities(CATALOGUE), (None, None)),
             ("followup", "ask_followup", index.entities(FOLLOWUP), ("opleidingsverlof-e-leren", None))]
    result = {}
    for name, intent, entities, context in cases:
        timings = {}
        texts = {}
        for label, func in (("current", answer_message), ("light", answer_message_light)):
            for _ in range(3):  # warm-up (compiled-statement caches)
                with session_scope() as session:
                    func(session, intent, entities, context)
            values = []
            for _ in range(calls):
                started = time.perf_counter()
                with session_scope() as session:
                    reply, _topic = func(session, intent, entities, context)
                    texts[label] = reply.text if reply else None
                values.append((time.perf_counter() - started) * 1000)
            timings[label] = median(values)
        result[name] = {"current_ms": timings["current"], "light_ms": timings["light"],
                        "same_answer": texts["current"] == texts["light"]}
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
