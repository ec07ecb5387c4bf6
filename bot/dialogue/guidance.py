"""Replies that guide a person on: recommendations, asking back, handing over to VDAB."""
from __future__ import annotations

from typing import List, Optional, Sequence

from sqlalchemy.orm import Session

from bot.answers import measure_reference
from bot.catalogue import queries
from bot.dialogue import intent_for_measure
from bot.nlu.vocabulary import vocabulary
from bot.recommend import recommend
from bot.replies import VDAB_CONTACT, Reply, button


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
        lines.append(
            f"{position}. {entry.title}: {entry.summary}\n"
            f"   Volgende stap: {_first_sentence(how.text.strip())}\n"
            f"   Bron: {how.sources[0].url}"
        )
        references.append(measure_reference(entry, "how_to_apply"))
    buttons = [
        button(f"Meer over {item.entry.title}", "ask_followup", measure=item.measure_id,
               instrument=item.entry.id if item.entry.id != item.measure_id else None,
               aspect="overview")
        for item in ranked
    ]
    return Reply("\n".join(lines), buttons, references, "recommendation")


def _likeliest_measure_buttons(session: Session, ranked_intents: Sequence[str]) -> List[dict]:
    titles = queries.outline(session).titles
    by_intent = {intent_for_measure(measure_id): measure_id for measure_id in titles}
    candidates = [by_intent[i] for i in ranked_intents if i in by_intent][:3]
    return [button(titles[m], intent_for_measure(m), measure=m) for m in candidates]


def clarify_reply(session: Session, ranked_intents: Sequence[str]) -> Reply:
    """Ask back with the two or three likeliest measures as buttons."""
    buttons = _likeliest_measure_buttons(session, ranked_intents)
    buttons.append(button("Ik wil iemand spreken", "handoff"))
    return Reply(
        "Ik begrijp je vraag niet goed. Gaat het over een van deze maatregelen? "
        "Je kunt je vraag ook anders stellen.",
        buttons,
    )


def handoff_reply() -> Reply:
    return Reply(
        "Je kunt met een medewerker van VDAB praten. " + VDAB_CONTACT
        + " Ik heb dit gesprek gemarkeerd, zodat een medewerker het kan terugvinden."
    )


def no_measure_reply(session: Session, ranked_intents: Sequence[str]) -> Reply:
    """A question about "it" with no measure named or in context: the likeliest measures as
    buttons, and the guided choice."""
    buttons = _likeliest_measure_buttons(session, ranked_intents)
    buttons.append(button("Help me kiezen", "start_guidance"))
    return Reply(
        "Over welke maatregel gaat je vraag? Kies hieronder, noem de maatregel (bijvoorbeeld "
        "'opleidingsverlof' of 'telewerk') of laat je helpen kiezen.",
        buttons,
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
