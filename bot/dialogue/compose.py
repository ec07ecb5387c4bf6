"""Dutch replies about one measure or instrument, composed from the catalogue: an answer
item, or the measure's overview paragraph when no item fits."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Union

from sqlalchemy.orm import Session

from bot.catalogue import queries
from bot.catalogue.models import Instrument, Measure
from bot.catalogue.queries import ItemRecord, SourceRef
from bot.catalogue.vocabulary import vocabulary
from bot.dialogue.replies import Reply, dutch_date

Entry = Union[Measure, Instrument]


def find_entry(session: Session, measure_id: str, instrument_id: Optional[str]) -> Optional[Entry]:
    if instrument_id:
        instrument = queries.get_instrument(session, instrument_id)
        if instrument is not None and instrument.measure_id == measure_id:
            return instrument
    return queries.get_measure(session, measure_id)


def entry_title(session: Session, entry_id: str) -> str:
    entry = queries.get_instrument(session, entry_id) or queries.get_measure(session, entry_id)
    return entry.title if entry is not None else entry_id


def status_warning(session: Session, entry: Entry) -> str:
    """A warning in front of an overview of something that was abolished or changed."""
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


def source_line(source: SourceRef) -> str:
    """The source of a statement with the source's own date, official pages first (the
    catalogue orders them so)."""
    when = f"Bron van {dutch_date(source.published)}" if source.published else "Bron (zonder datum)"
    return f"{when}: {source.title} – {source.url}"


def shown_source(sources: Sequence[SourceRef]) -> SourceRef:
    """The first official source, else the first."""
    return next((s for s in sources if s.official), sources[0])


def measure_reference(session: Session, measure_id: str, instrument_id: Optional[str],
                      source: SourceRef) -> Dict[str, str]:
    """The payload entry that names what a reply is about."""
    measure = queries.get_measure(session, measure_id)
    reference = {"id": measure_id, "title": measure.title if measure else measure_id,
                 "source_url": source.url}
    if instrument_id:
        reference["instrument"] = instrument_id
        reference["instrument_title"] = entry_title(session, instrument_id)
    return reference


def item_reply(session: Session, item: ItemRecord, buttons: List[dict]) -> Reply:
    source = shown_source(item.sources)
    text = f"{item.answer}\n{source_line(source)}"
    reference = measure_reference(session, item.measure_id, item.instrument_id, source)
    return Reply(text, buttons, [reference], item.aspect, item.id)


def overview_reply(session: Session, measure_id: str, instrument_id: Optional[str], aspect: str,
                   doelgroep: Optional[str], buttons: List[dict]) -> Optional[Reply]:
    """The entry's paragraph for `aspect`, with a warning when it ended and, for an
    eligibility question naming a group, whether the group may use it."""
    entry = find_entry(session, measure_id, instrument_id)
    if entry is None:
        return None
    parts: List[str] = []
    if aspect != "status":
        parts.append(status_warning(session, entry))
    if doelgroep and aspect == "eligibility":
        parts.append(eligibility_for_group(entry, doelgroep))
    answer = entry.answer(aspect)
    parts.append(answer.text.strip())
    sources = [SourceRef(s.id, s.url, s.title, s.published) for s in answer.sources]
    source = shown_source(sources)
    text = " ".join(p for p in parts if p) + "\n" + source_line(source)
    own_instrument = entry.id if isinstance(entry, Instrument) else None
    reference = measure_reference(session, measure_id, own_instrument, source)
    return Reply(text, buttons, [reference], aspect)
