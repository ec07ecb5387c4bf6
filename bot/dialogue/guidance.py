"""Replies that guide a person on: recommendations, asking back, handing over to VDAB."""
from __future__ import annotations

from typing import List, Optional, Sequence

from sqlalchemy.orm import Session

from bot.catalogue import queries
from bot.catalogue.queries import SourceRef
from bot.catalogue.vocabulary import vocabulary
from bot.dialogue.compose import measure_reference, shown_source
from bot.dialogue.recommend import recommend
from bot.dialogue.replies import VDAB_CONTACT, Reply, button
from bot.dialogue.turn import FOLLOWUP_INTENT, intent_for_measure


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def recommendation_reply(session: Session, group: Optional[str], interest: Optional[str]) -> Reply:
    themes = vocabulary().interest_themes(interest) if interest else ()
    ranked = recommend(session, group, themes)
    if not ranked:
        ranked = recommend(session, group, ())
    if not ranked:
        return Reply("Ik vond geen maatregel die past. " + VDAB_CONTACT)
    lines: List[str] = ["Dit past misschien bij jou:"]
    references = []
    for position, item in enumerate(ranked, start=1):
        entry = item.entry
        how = entry.answer("how_to_apply")
        source = shown_source([SourceRef(s.id, s.url, s.title, s.published) for s in how.sources])
        lines.append(
            f"{position}. {entry.title}: {entry.summary}\n"
            f"   Volgende stap: {_first_sentence(how.text.strip())}\n"
            f"   Bron: {source.url}"
        )
        instrument = entry.id if entry.id != item.measure_id else None
        references.append(measure_reference(session, item.measure_id, instrument, source))
    buttons = [
        button(f"Meer over {item.entry.title}", FOLLOWUP_INTENT, measure=item.measure_id,
               instrument=item.entry.id if item.entry.id != item.measure_id else None,
               aspect="overview")
        for item in ranked
    ]
    return Reply("\n".join(lines), buttons, references, "recommendation")


def measure_buttons(session: Session, measure_ids: Sequence[str]) -> List[dict]:
    titles = queries.outline(session).titles
    return [button(titles[m], intent_for_measure(m), measure=m) for m in measure_ids if m in titles]


def _ask_which(session: Session, candidates: Sequence[str], text: str, last: dict) -> Reply:
    """Ask back with the two or three likeliest measures as buttons, and one way out."""
    return Reply(text, measure_buttons(session, candidates[:3]) + [last])


def clarify_reply(session: Session, candidates: Sequence[str]) -> Reply:
    return _ask_which(session, candidates, "Ik begrijp je vraag niet goed. Gaat het over een van deze "
                      "maatregelen? Je kunt je vraag ook anders stellen.", button("Ik wil iemand spreken", "handoff"))


def no_measure_reply(session: Session, candidates: Sequence[str]) -> Reply:
    """A question about "it" with no measure named or in context."""
    return _ask_which(session, candidates, "Over welke maatregel gaat je vraag? Kies hieronder, noem de "
                      "maatregel (bijvoorbeeld 'opleidingsverlof' of 'telewerk') of laat je helpen kiezen.",
                      button("Help me kiezen", "start_guidance"))


def handoff_reply() -> Reply:
    return Reply(
        "Je kunt met een medewerker van VDAB praten. " + VDAB_CONTACT
        + " Ik heb dit gesprek gemarkeerd, zodat een medewerker het kan terugvinden."
    )


GUIDANCE_QUESTIONS = {
    "doelgroep": "Wie ben je? Kies wat het best past, of typ het zelf.",
    "interesse": "Wat wil je graag doen? Kies een knop, of typ het zelf.",
}


def guidance_question(slot: str) -> Reply:
    """The guidance form's question for `slot`, with a button per choice in the vocabulary."""
    words = vocabulary()
    choices = words.target_groups if slot == "doelgroep" else words.interests
    buttons = [button(entry["label"], "inform", **{slot: key}) for key, entry in choices.items()]
    return Reply(GUIDANCE_QUESTIONS[slot], buttons)
