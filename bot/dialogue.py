"""Which measure (and instrument) a message is about, given the intent, the names found in
the message and the measure already in context."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Mapping, Optional, Tuple

MEASURE_INTENT_PREFIX = "ask_"
FOLLOWUP_INTENT = "ask_followup"
# Below this confidence a measure intent does not pull a message that names no measure but
# asks an aspect ("en hoeveel krijg ik dan?") away from the measure in context.
UNSURE_TOPIC_SWITCH = 0.6


def intent_for_measure(measure_id: str) -> str:
    return MEASURE_INTENT_PREFIX + measure_id.replace("-", "_")


def measure_for_intent(intent: Optional[str], measure_ids: Iterable[str]) -> Optional[str]:
    """The measure an `ask_<measure>` intent stands for, or None for any other intent."""
    by_intent = {intent_for_measure(m): m for m in measure_ids}
    return by_intent.get(intent or "")


@dataclass(frozen=True)
class Topic:
    measure_id: Optional[str]
    instrument_id: Optional[str]
    aspect: str
    doelgroep: Optional[str]


def _values(entities: List[Mapping], kind: str) -> List[str]:
    return [e["value"] for e in entities if e.get("entity") == kind]


def decline_reason(entities: List[Mapping]) -> Optional[str]:
    """The out-of-scope intent whose answer fits, when the message asks about another region,
    for an opinion or to repeat a claim, even if it names a measure."""
    return next(iter(_values(entities, "afwijzing")), None)


def resolve_topic(
    intent_measure: Optional[str],
    entities: List[Mapping],
    instrument_measures: Mapping[str, str],
    context: Tuple[Optional[str], Optional[str]],
    umbrella_ids: Iterable[str] = (),
    intent_confidence: float = 1.0,
) -> Topic:
    """Names the person typed beat the classifier's guess; the classifier beats the context,
    unless it is unsure and the message only asks an aspect (UNSURE_TOPIC_SWITCH).

    `instrument_measures` maps instrument ids to their measure; `context` is the
    (measure, instrument) of the previous answer, used when nothing in the message names one.
    The agreement itself (`umbrella_ids`) is often named as the frame of a question about a
    specific measure ("extra bemiddelaars door het relanceplan"), so it only wins alone.
    """
    named_measures = _values(entities, "measure")
    named_instruments = [i for i in _values(entities, "instrument") if i in instrument_measures]
    specific = [m for m in named_measures if m not in umbrella_ids]
    if specific or named_instruments or (intent_measure and intent_measure not in umbrella_ids):
        named_measures = specific
    doelgroep = next(iter(_values(entities, "doelgroep")), None)
    aspect = next(iter(_values(entities, "aspect")), None)
    if (intent_measure and intent_confidence < UNSURE_TOPIC_SWITCH and context[0] and aspect
            and not named_measures and not named_instruments):
        intent_measure = None
    if aspect is None:
        # "en voor zelfstandigen?" asks whether the measure is for that group.
        aspect = "eligibility" if doelgroep and not intent_measure else "overview"

    measure, instrument = None, None
    if intent_measure:
        instrument = next((i for i in named_instruments if instrument_measures[i] == intent_measure), None)
        if instrument or intent_measure in named_measures:
            measure = intent_measure
    if measure is None and named_instruments:
        instrument = named_instruments[0]
        measure = instrument_measures[instrument]
    if measure is None and named_measures:
        measure = named_measures[0]
    if measure is None and intent_measure:
        measure = intent_measure
        # A question about the same measure keeps the instrument in context.
        if context[0] == intent_measure:
            instrument = context[1]
    if measure is None:
        measure, instrument = context
    return Topic(measure, instrument, aspect, doelgroep)


def fallback_plan(entities: List[Mapping], context_measure: Optional[str]) -> str:
    """What to do with a message the classifier was unsure about, from the words it contains:
    `decline`, `recommend` (who the person is and what they want), `answer` (a measure is
    named), `followup` (an aspect of the measure in context), or `clarify`."""
    kinds = {e.get("entity") for e in entities}
    if "afwijzing" in kinds:
        return "decline"
    if {"doelgroep", "interesse"} <= kinds:
        return "recommend"
    if kinds & {"measure", "instrument"}:
        return "answer"
    if context_measure and "aspect" in kinds:
        return "followup"
    return "clarify"
