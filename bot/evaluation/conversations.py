"""`evaluate-conversations`: multi-turn conversations in the older format (a YAML list of
{name, turns: [{user, expect_measure, expect_aspect, declined}]}), where each turn's measure
and aspect are checked in context."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

import yaml

from bot.evaluation.runner import new_sender
from bot.rasa_api import OUT_OF_SCOPE, RasaClient, Turn


@dataclass
class TurnResult:
    conversation: str
    user: str
    expected_measure: Optional[str]
    expected_aspect: Optional[str]
    declined: bool
    turn: Turn

    @property
    def ok(self) -> bool:
        if self.declined:
            return self.turn.out_of_scope
        if self.expected_measure is None:
            return True
        return (self.turn.primary_measure == self.expected_measure
                and (self.expected_aspect is None or self.turn.aspect == self.expected_aspect))


def run_conversations(client: RasaClient, path: Path) -> List[TurnResult]:
    results = []
    for conversation in yaml.safe_load(Path(path).read_text(encoding="utf-8")):
        sender = new_sender()
        for turn in conversation["turns"]:
            answer = client.say(sender, turn["user"])
            results.append(TurnResult(conversation["name"], turn["user"], turn.get("expect_measure"),
                                      turn.get("expect_aspect"), bool(turn.get("declined")), answer))
    return results


def conversation_lines(results: Sequence[TurnResult]) -> List[str]:
    checked = [r for r in results if r.declined or r.expected_measure]
    good = sum(r.ok for r in checked)
    conversations = {r.conversation for r in results}
    perfect = conversations - {r.conversation for r in checked if not r.ok}
    lines = [f"Beurten juist (maatregel + aspect, of geweigerd): {good}/{len(checked)}"
             f" ({100.0 * good / max(len(checked), 1):.1f} %)",
             f"Gesprekken zonder fout: {len(perfect)}/{len(conversations)}", "", "Fouten:"]
    for r in checked:
        if not r.ok:
            want = "weigeren" if r.declined else f"{r.expected_measure}/{r.expected_aspect}"
            lines.append(f"  [{r.conversation}] {r.user!r}: verwacht {want}, "
                         f"kreeg {r.turn.primary_measure or OUT_OF_SCOPE}/{r.turn.aspect}")
    return lines
