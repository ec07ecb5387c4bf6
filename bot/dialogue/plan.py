"""Every dialogue decision about a message, in one place: `plan_reply(session, turn) -> Plan`.

A message's candidate measures get a score from three kinds of evidence: the classifier's
confidence in `ask_<measure>`, the names the catalogue matcher found, and how well the
measure's answer items match the words. A follow-up without a name adds the measure in
context. Then:
- decline only when no measure is named and none has more evidence than the out-of-scope
  verdict has confidence;
- a best guess over a question: answer the first candidate and offer a strong runner-up as a
  button ("Of bedoelde je ...?"); ask back only when nothing is placed;
- the answer is the measure's best answer item when it matches well, otherwise the measure's
  overview with its closest items as buttons.

The hand-written layers can be switched off by name (BOT_ABLATE=name,name) so the benchmark
can show what each one is worth.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from sqlalchemy.orm import Session

from bot import inbox
from bot.catalogue import queries
from bot.dialogue.compose import item_reply, overview_reply
from bot.dialogue.guidance import (
    clarify_reply,
    handoff_reply,
    measure_buttons,
    no_measure_reply,
)
from bot.dialogue.replies import CHAT, DECLINES, FRAMING, Reply, button
from bot.dialogue.turn import DECLINE_INTENTS, FOLLOWUP_INTENT, INFORM_INTENT, Turn, intent_for_measure
from bot.nlu import outputs

# Evidence weights: a classifier confidence counts 1, so these read as "worth that much
# confidence".
NAME_WEIGHT = 1.0  # a measure or instrument named in the message
UMBRELLA_NAME_WEIGHT = 0.3  # the agreement itself, often named only as the frame of a question
ITEM_WEIGHT = 0.6  # times the best item score of the measure
CONTEXT_WEIGHT = 0.6  # the measure in context, for a follow-up

MIN_EVIDENCE = 0.35  # a first candidate below this is not placed: ask back...
ITEM_PLACE = 0.25  # ...unless an answer item matches this well (score times coverage)
MIN_INFORMATION = 6.0  # ...in a message that says enough (summed idf; "wat moet ik doen" does not)
RUNNER_UP_SHARE = 0.5  # a runner-up with at least this share of the first one's score is offered
ITEM_GOOD = 0.1  # an answer item at least this good is the answer; else the overview
UNSURE_TOPIC_SWITCH = 0.6  # a measure intent below this does not pull a follow-up from its context
MISSES_BEFORE_HANDOFF = 2
MIXED_FEDERAL = 0.2  # an answered question this likely federal too gets the federal pointer
FULL_CONFIDENCE = 0.95  # a decline less sure than this goes to the staff inbox
SURE_CHAT = 0.6  # small talk, "stop", "who I am", "help me choose" or "a person" this sure is taken as such
HANDOFF_INTENT = "handoff"
GUIDANCE_INTENT = "start_guidance"

LAYERS = (
    "guard_words",  # decline cues in the vocabulary decline even a question that names a measure
    "names",  # names typed in the message count as evidence
    "items",  # answer items count as evidence for their measure
    "context",  # a follow-up stays on the measure in context
    "oos_yields",  # an out-of-scope verdict yields to a named or well-placed measure
    "item_answers",  # answer with an answer item (off: the aspect paragraphs)
)


def disabled_layers() -> frozenset:
    return frozenset(x.strip() for x in os.environ.get("BOT_ABLATE", "").split(",") if x.strip())


def enabled(layer: str) -> bool:
    assert layer in LAYERS, layer
    return layer not in disabled_layers()


@dataclass
class Plan:
    reply: Reply
    kind: str  # answer, overview, decline, clarify, no_context, recommend, guide, handoff, chat
    measure: Optional[str] = None  # the measure in context after the reply (None keeps it)
    instrument: Optional[str] = None
    misses: int = 0
    candidates: Tuple[str, ...] = ()  # the measures considered, best first
    start_guidance: bool = False
    reason: str = ""  # why the bot declined, asked back or handed over (for staff)
    inbox: Optional[str] = None  # why staff should see this message (bot.inbox), if they should


@dataclass
class Evidence:
    scores: Dict[str, float] = field(default_factory=dict)
    named: Dict[str, float] = field(default_factory=dict)  # measure -> name weight
    exact_named: bool = False  # a specific measure or instrument is named as typed
    follow_up: bool = False

    def ranked(self) -> List[Tuple[str, float]]:
        return sorted(self.scores.items(), key=lambda kv: -kv[1])


def _named_measures(turn: Turn, outline: queries.Outline) -> Dict[str, float]:
    named: Dict[str, float] = defaultdict(float)
    for measure, confidence in turn.named(outputs.MEASURE).items():
        weight = UMBRELLA_NAME_WEIGHT if measure in outline.umbrella_ids else NAME_WEIGHT
        named[measure] = max(named[measure], weight * confidence)
    for instrument, confidence in turn.named(outputs.INSTRUMENT).items():
        measure = outline.instrument_measures.get(instrument)
        if measure:
            named[measure] = max(named[measure], NAME_WEIGHT * confidence)
    return dict(named)


def weigh(turn: Turn, outline: queries.Outline) -> Evidence:
    by_intent = {intent_for_measure(m): m for m in outline.titles}
    evidence = Evidence(scores=defaultdict(float))
    for intent, confidence in turn.ranking:
        if intent in by_intent:
            evidence.scores[by_intent[intent]] += confidence
    if enabled("names"):
        evidence.named = _named_measures(turn, outline)
        for measure, weight in evidence.named.items():
            evidence.scores[measure] += weight
        evidence.exact_named = any(
            confidence >= 1.0
            for kind in (outputs.MEASURE, outputs.INSTRUMENT)
            for value, confidence in turn.named(kind).items()
            )
    if enabled("items"):
        best: Dict[str, float] = {}
        for item in turn.items:
            best[item.measure_id] = max(best.get(item.measure_id, 0.0), item.score)
        # An item match says little in a message the items hardly know or that says little.
        trust = turn.coverage * min(1.0, turn.information / MIN_INFORMATION)
        for measure, score in best.items():
            if measure in outline.titles:
                evidence.scores[measure] += ITEM_WEIGHT * score * trust
    evidence.follow_up = _is_follow_up(turn, evidence, by_intent)
    if evidence.follow_up:
        # The agreement as context covers every measure: a follow-up may be about one of them.
        umbrella = turn.context_measure in outline.umbrella_ids
        evidence.scores[turn.context_measure] += UMBRELLA_NAME_WEIGHT if umbrella else CONTEXT_WEIGHT
    evidence.scores = dict(evidence.scores)
    return evidence


def guidance_asked_for(turn: Turn) -> bool:
    """Whether the message that started the guidance form really asked for guidance ("help me
    kiezen", the button): a question the classifier only half reads as one is answered instead."""
    return turn.intent != GUIDANCE_INTENT or turn.confidence >= SURE_CHAT


def _is_follow_up(turn: Turn, evidence: Evidence, by_intent: Dict[str, str]) -> bool:
    """A message that goes on about the measure in context: the follow-up intent, or a message
    that names nothing while the classifier is unsure which measure it is about. Gibberish,
    other languages and random words are not follow-ups, however the classifier reads them."""
    if not (turn.context_measure and enabled("context")) or evidence.named:
        return False
    if turn.information <= 0.0 and not (turn.intent == FOLLOWUP_INTENT and turn.confidence >= UNSURE_TOPIC_SWITCH):
        return False  # not one word the answer items know, and the classifier unsure: not understood
    if turn.intent == FOLLOWUP_INTENT or turn.confidence < UNSURE_TOPIC_SWITCH:
        return True
    return turn.intent not in DECLINE_INTENTS and turn.intent not in by_intent


def plan_reply(session: Session, turn: Turn) -> Plan:
    outline = queries.outline(session)
    chosen = turn.first(outputs.ITEM)
    if chosen:
        item = queries.items_by_id(session).get(chosen)
        if item is not None:
            return _answer_item(session, turn, item, ())
    if turn.intent == HANDOFF_INTENT and turn.confidence >= SURE_CHAT:
        return Plan(handoff_reply(), "handoff", reason="asked for a person")
    decided = inbox.assignment(session, turn.text)
    if decided is not None:
        return _staff_decision(session, turn, decided)
    cue = turn.first(outputs.DECLINE_CUE) if enabled("guard_words") else None
    if cue:
        return Plan(Reply(DECLINES[cue]), "decline", reason=f"decline cue: {cue}")
    evidence = weigh(turn, outline)
    ranked = evidence.ranked()
    candidates = tuple(m for m, _ in ranked)
    top = ranked[0][1] if ranked else 0.0

    framing = ""
    if turn.intent in DECLINE_INTENTS:
        if not _yields(turn, evidence, top):
            return Plan(Reply(DECLINES.get(turn.intent, DECLINES["out_of_scope"])), "decline",
                        candidates=candidates, reason=turn.intent,
                        inbox="declined" if turn.confidence < FULL_CONFIDENCE else None)
        framing = turn.intent
    elif turn.intent == INFORM_INTENT and not evidence.named and (
            top < MIN_EVIDENCE or turn.confidence >= SURE_CHAT):
        # Saying who you are or what you want, without a question: help choosing.
        return _guide(candidates)
    elif turn.intent in CHAT and turn.confidence >= SURE_CHAT and not evidence.named:
        return Plan(CHAT[turn.intent], "chat")

    if top < MIN_EVIDENCE:
        placed = _placed_by_item(session, turn)
        if placed is not None:
            return _answer_item(session, turn, placed, candidates)
        if turn.intent == FOLLOWUP_INTENT and not turn.context_measure:
            return Plan(no_measure_reply(session, candidates), "no_context", candidates=candidates,
                        inbox="no_context")
        return _not_placed(session, turn, candidates)
    runner_up = None
    if len(ranked) > 1 and ranked[1][1] >= RUNNER_UP_SHARE * top:
        runner_up = ranked[1][0]
    plan = _answer_measure(session, turn, ranked[0][0], runner_up, candidates)
    if not framing and dict(turn.ranking).get("oos_federal", 0.0) >= MIXED_FEDERAL:
        framing = "oos_federal"  # a Flemish question with a federal part: say where that is answered
    if framing in FRAMING:
        plan.reply.text = FRAMING[framing].format(answer=plan.reply.text)
    return plan


def _yields(turn: Turn, evidence: Evidence, top: float) -> bool:
    """Whether an out-of-scope verdict gives way to a measure: one named as typed, or, when
    the verdict is not sure, one whose evidence outweighs it."""
    if not enabled("oos_yields"):
        return False
    if evidence.exact_named:
        return True
    return top >= max(MIN_EVIDENCE, turn.confidence)


def _placed_by_item(session: Session, turn: Turn) -> Optional[queries.ItemRecord]:
    """A message the classifier could not place, whose words match one answer item well:
    the typical situation of a measure told in other words."""
    if not (turn.items and enabled("items")):
        return None
    best = turn.items[0]
    if best.score * turn.coverage < ITEM_PLACE or turn.information < MIN_INFORMATION:
        return None
    return queries.items_by_id(session).get(best.id)


def _answer_measure(session: Session, turn: Turn, measure: str, runner_up: Optional[str],
                    candidates: Tuple[str, ...]) -> Plan:
    items = queries.items_by_id(session)
    own = [items[i.id] for i in turn.items if i.measure_id == measure and i.id in items]
    best = next((i for i in turn.items if i.measure_id == measure), None)
    others = measure_buttons(session, [runner_up]) if runner_up else []
    for other in others:
        other["title"] = f"Of bedoelde je: {other['title']}?"
    if best is not None and best.score >= ITEM_GOOD and enabled("item_answers"):
        return _answer_item(session, turn, items[best.id], candidates, own[1:2], others)
    aspect = turn.first(outputs.ASPECT) or ("eligibility" if turn.first(outputs.TARGET_GROUP) else "overview")
    instrument = _instrument(turn, measure)
    buttons = [_item_button(i) for i in own[:3]] or others
    reply = overview_reply(session, measure, instrument, aspect, turn.first(outputs.TARGET_GROUP), buttons)
    if reply is None:
        return _not_placed(session, turn, candidates)
    return Plan(reply, "overview", measure, instrument, candidates=candidates)


def _answer_item(session: Session, turn: Turn, item: queries.ItemRecord, candidates: Tuple[str, ...],
                 related=(), others=()) -> Plan:
    buttons = [_item_button(i) for i in related] + list(others)
    reply = item_reply(session, item, buttons)
    return Plan(reply, "answer", item.measure_id, item.instrument_id, candidates=candidates)


def _item_button(item: queries.ItemRecord) -> dict:
    return button(item.label, FOLLOWUP_INTENT, measure=item.measure_id, item=item.id)


def _instrument(turn: Turn, measure: str) -> Optional[str]:
    for instrument in turn.values(outputs.INSTRUMENT):
        return instrument
    return turn.context_instrument if turn.context_measure == measure else None


def _guide(candidates: Tuple[str, ...]) -> Plan:
    """Saying who you are or what you want, without a question: the guidance form asks the
    rest (it completes at once when both are known) and recommends."""
    return Plan(Reply(""), "guide", candidates=candidates, start_guidance=True)


def _not_placed(session: Session, turn: Turn, candidates: Tuple[str, ...]) -> Plan:
    misses = turn.misses + 1
    if misses >= MISSES_BEFORE_HANDOFF:
        return Plan(handoff_reply(), "handoff", candidates=candidates, reason="second miss", inbox="fallback")
    return Plan(clarify_reply(session, candidates), "clarify", misses=misses, candidates=candidates,
                inbox="clarified")


def _staff_decision(session: Session, turn: Turn, decided: inbox.Assignment) -> Plan:
    """A message staff tied to a measure (or an answer item) or marked out of scope."""
    if decided.status == inbox.OUT_OF_SCOPE:
        return Plan(Reply(DECLINES["out_of_scope"]), "decline", reason="staff: out of scope")
    item = queries.items_by_id(session).get(decided.item_id or "")
    if item is not None:
        return _answer_item(session, turn, item, (decided.measure_id,))
    return _answer_measure(session, turn, decided.measure_id, None, (decided.measure_id,))
