"""One user message as the dialogue sees it: what the NLU found in it, and the conversation's
state that matters for the reply. Built from a tracker's latest message and slots, so the
decisions can be tested without Rasa."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from bot.nlu import outputs
from bot.nlu.outputs import intent_for_measure

FOLLOWUP_INTENT = "ask_followup"
INFORM_INTENT = "inform"
DECLINE_INTENTS = ("out_of_scope", "oos_federal", "oos_other_region", "oos_personal_data",
                   "oos_opinion", "oos_manipulation")

__all__ = ["DECLINE_INTENTS", "FOLLOWUP_INTENT", "INFORM_INTENT", "ItemScore", "Turn", "intent_for_measure"]


@dataclass(frozen=True)
class ItemScore:
    id: str
    measure_id: str
    score: float


@dataclass(frozen=True)
class Turn:
    text: str = ""
    intent: Optional[str] = None
    confidence: float = 0.0
    ranking: Tuple[Tuple[str, float], ...] = ()  # (intent, confidence), best first
    entities: Tuple[Mapping[str, Any], ...] = ()
    items: Tuple[ItemScore, ...] = ()  # the ranker's best items per measure, best first
    coverage: float = 0.0  # share of the message's words the answer items know
    information: float = 0.0  # how much the message says that the answer items know
    context_measure: Optional[str] = None  # the measure of the previous answer
    context_instrument: Optional[str] = None
    misses: int = 0  # messages in a row the bot could not place
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_parse(cls, parse: Mapping[str, Any], slots: Mapping[str, Any]) -> "Turn":
        intent = parse.get("intent") or {}
        ranking = tuple((r.get("name"), float(r.get("confidence") or 0.0))
                        for r in parse.get("intent_ranking") or [] if r.get("name"))
        ranker = parse.get(outputs.ANSWER_ITEMS) or {}
        items = tuple(ItemScore(i["id"], i["measure"], float(i["score"])) for i in ranker.get("ranked") or [])
        return cls(
            text=parse.get("text") or "",
            intent=intent.get("name"),
            confidence=float(intent.get("confidence") or 0.0),
            ranking=ranking,
            entities=tuple(parse.get("entities") or ()),
            items=items,
            coverage=float(ranker.get("coverage") or 0.0),
            information=float(ranker.get("information") or 0.0),
            context_measure=slots.get("measure"),
            context_instrument=slots.get("instrument"),
            misses=int(slots.get("misses") or 0),
        )

    def values(self, entity: str) -> List[str]:
        """The values of `entity` in the message, in order, each once."""
        return list(dict.fromkeys(e["value"] for e in self.entities if e.get("entity") == entity))

    def first(self, entity: str) -> Optional[str]:
        return next(iter(self.values(entity)), None)

    def named(self, entity: str) -> Dict[str, float]:
        """value -> match confidence (1.0 as typed, lower after a typo fix) of `entity`."""
        out: Dict[str, float] = {}
        for e in self.entities:
            if e.get("entity") == entity:
                out[e["value"]] = max(out.get(e["value"], 0.0), float(e.get("confidence_entity") or 1.0))
        return out
