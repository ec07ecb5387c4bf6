"""Dutch answers about one measure or instrument, composed from the catalogue."""
from __future__ import annotations

from typing import List, Optional, Union

from sqlalchemy.orm import Session

from bot.catalogue import queries
from bot.catalogue.models import Instrument, Measure
from bot.dialogue import FOLLOWUP_INTENT, Topic, measure_for_intent, resolve_topic
from bot.nlu.vocabulary import vocabulary
from bot.replies import Reply, button, dutch_date

Entry = Union[Measure, Instrument]

ASPECT_BUTTONS = {
    "overview": "Wat is het?",
    "eligibility": "Wie komt in aanmerking?",
    "how_to_apply": "Hoe vraag ik het aan?",
    "amount": "Hoeveel is het?",
    "status": "Bestaat het nog?",
    "contact": "Wie kan ik contacteren?",
}


def find_entry(session: Session, measure_id: str, instrument_id: Optional[str]) -> Optional[Entry]:
    if instrument_id:
        instrument = queries.get_instrument(session, instrument_id)
        if instrument is not None:
            return instrument
    return queries.get_measure(session, measure_id)


def entry_title(session: Session, entry_id: str) -> str:
    entry = queries.get_instrument(session, entry_id) or queries.get_measure(session, entry_id)
    return entry.title if entry is not None else entry_id


def last_verified(entry: Entry):
    if isinstance(entry, Instrument) and entry.last_verified is None:
        return entry.measure.last_verified
    return entry.last_verified


def status_warning(session: Session, entry: Entry) -> str:
    """A warning in front of any answer about something that was abolished or changed."""
    state = entry.status_state
    if state == "abolished":
        text = f"Let op: {entry.title} bestaat niet meer"
        text += f" sinds {dutch_date(entry.status_until)}." if entry.status_until else "."
        if entry.status_successor:
            text += f" In de plaats kwam: {entry_title(session, entry.status_successor)}."
        return text
    if state == "changed" and entry.status_note:
        return f"Let op: {entry.status_note}"
    return ""


def eligibility_for_group(entry: Entry, group: str) -> str:
    label = vocabulary().label("doelgroep", group).lower()
    if group in entry.target_groups:
        return f"Ja, dit is ook bedoeld voor jou als {label}."
    return (f"Nee, {entry.title} is niet bedoeld voor een {label}. "
            "Typ 'help me kiezen' om te zien wat wel bij jou past.")


def source_line(entry: Entry, aspect: str) -> str:
    answer = entry.answer(aspect)
    source = answer.sources[0]
    return (f"Bron: {source.title} – {source.url}\n"
            f"(Laatst gecontroleerd op {dutch_date(last_verified(entry))}.)")


def measure_reference(entry: Entry, aspect: str) -> dict:
    measure = entry.measure if isinstance(entry, Instrument) else entry
    reference = {"id": measure.id, "title": measure.title,
                 "source_url": entry.answer(aspect).sources[0].url}
    if isinstance(entry, Instrument):
        reference["instrument"] = entry.id
        reference["instrument_title"] = entry.title
    return reference


def answer_topic(session: Session, topic: Topic) -> Optional[Reply]:
    """The answer for a resolved topic, or None when the catalogue does not know the measure."""
    if not topic.measure_id:
        return None
    entry = find_entry(session, topic.measure_id, topic.instrument_id)
    if entry is None:
        return None
    aspect = topic.aspect
    parts: List[str] = []
    if aspect != "status":
        parts.append(status_warning(session, entry))
    if topic.doelgroep and aspect == "eligibility":
        parts.append(eligibility_for_group(entry, topic.doelgroep))
    parts.append(entry.answer(aspect).text.strip())
    text = " ".join(p for p in parts if p) + "\n" + source_line(entry, aspect)
    measure = entry.measure if isinstance(entry, Instrument) else entry
    instrument_id = entry.id if isinstance(entry, Instrument) else None
    buttons = [
        button(label, FOLLOWUP_INTENT, measure=measure.id, instrument=instrument_id, aspect=other)
        for other, label in ASPECT_BUTTONS.items()
        if other not in (aspect, "overview")
    ][:3]
    return Reply(text, buttons, [measure_reference(entry, aspect)], aspect)


def answer_message(
    session: Session, intent: Optional[str], entities: list, context: tuple, confidence: float = 1.0
) -> tuple:
    """The reply and the resolved topic for a question about a measure (reply None when no
    measure is named or in context)."""
    catalogue = queries.outline(session)
    topic = resolve_topic(
        measure_for_intent(intent, catalogue.titles), entities, catalogue.instrument_measures,
        context, umbrella_ids=catalogue.umbrella_ids, intent_confidence=confidence,
    )
    return answer_topic(session, topic), topic
