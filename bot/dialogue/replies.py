"""A bot reply as the actions send it: Dutch text, quick-reply buttons and the payload that
names the measures it is about."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")

VDAB_CONTACT = "Bel VDAB gratis op 0800 30 700 of kijk op https://www.vdab.be."
UNAVAILABLE = ("Sorry, ik kan de informatie nu even niet opzoeken door een technisch probleem. "
               "Probeer het zo meteen opnieuw. " + VDAB_CONTACT)


@dataclass
class Reply:
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    # [{"id": measure id, "title": ..., "source_url": ...}], the primary measure first.
    measures: List[Dict[str, str]] = field(default_factory=list)
    aspect: Optional[str] = None
    item: Optional[str] = None  # the answer item it gives, if any

    def payload(self) -> Optional[Dict]:
        """The custom payload; under "data" because Rasa's socket.io channel emits **payload."""
        if not self.measures:
            return None
        data = {"measures": self.measures, "aspect": self.aspect}
        if self.item:
            data["item"] = self.item
        return {"data": data}


def dutch_date(value) -> str:
    """'2023-07-01' -> '1 juli 2023'; '2023-07' -> 'juli 2023'; '2023' stays."""
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()[:10]
    parts = str(value).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def button(title: str, intent: str, **entities: str) -> Dict[str, str]:
    slots = {k: v for k, v in entities.items() if v}
    return {"title": title, "payload": f"/{intent}{json.dumps(slots) if slots else ''}"}


# An answer to a question the classifier put out of scope but that named a measure: what the
# bot does not do, then the facts about the measure.
FRAMING = {
    "oos_opinion": "Ik geef geen mening, wel de feiten. {answer}",
    "oos_personal_data": "Ik kan je persoonlijke dossier niet inkijken. Dit geldt in het algemeen: {answer}",
    "oos_federal": (
        "{answer}\nGaat je vraag ook over een federale regel (bijvoorbeeld je uitkering of de "
        "RSZ)? Die beantwoord ik niet: kijk op https://www.rva.be of vraag het aan je vakbond of "
        "uitbetalingsinstelling."
    ),
}

# What the bot says when it declines, per out-of-scope intent: what it cannot do, and where to go.
DECLINES = {
    "out_of_scope": (
        "Daar kan ik je niet mee helpen. Ik geef alleen uitleg over de Vlaamse "
        "maatregelen van 'Alle hens aan dek': opleiding, e-leren, thuiswerk, werkbaar "
        "werk en premies voor werkgevers. Stel gerust een vraag daarover. (Ik antwoord "
        "alleen in het Nederlands.)"
    ),
    "oos_federal": (
        "Dat is een federale regel, bijvoorbeeld van de RVA (de Rijksdienst voor "
        "Arbeidsvoorziening), de belastingen of het ziekenfonds. Daar geef ik geen "
        "antwoord op: kijk op https://www.rva.be of vraag het aan je vakbond of "
        "uitbetalingsinstelling. Ik help je wel met Vlaamse maatregelen rond opleiding en "
        "werk."
    ),
    "oos_other_region": (
        "Ik ken alleen de Vlaamse maatregelen. Voor Brussel kun je terecht bij Actiris "
        "(https://www.actiris.brussels), voor Wallonië bij Le Forem "
        "(https://www.leforem.be)."
    ),
    "oos_personal_data": (
        "Ik kan je persoonlijke dossier niet inkijken en ik bewaar geen persoonsgegevens. "
        "Typ dus geen rijksregisternummer, adres of rekeningnummer. Voor je eigen "
        "dossier: log in op https://www.vdab.be of bel VDAB gratis op 0800 30 700."
    ),
    "oos_opinion": (
        "Ik geef geen mening over beleid of politiek. Ik geef wel uitleg over wat de "
        "maatregelen inhouden, met bronnen. Wat wil je weten?"
    ),
    "oos_manipulation": (
        "Dat doe ik niet. Ik geef alleen informatie die in mijn bronnen staat, en ik "
        "bevestig geen beweringen die daar niet in staan. Wil je weten wat er echt "
        "bestaat? Stel gerust je vraag."
    ),
}


# Small talk: the reply to each small-talk intent.
CHAT = {
    "greet": Reply(
        "Hallo! Ik ben een chatbot. Ik geef uitleg over de maatregelen van 'Alle hens aan dek', "
        "het Vlaamse relanceplan voor werk (2020): opleiding, e-leren, thuiswerk en meer. Stel "
        "gerust je vraag.",
        [button("Help me kiezen", "start_guidance"),
         button("Wat is Alle hens aan dek?", "ask_relanceplan", measure="relanceplan"),
         button("Een opleiding volgen", "inform", interesse="opleiding")],
    ),
    "goodbye": Reply("Tot ziens! Veel succes. Heb je later nog een vraag, dan ben ik hier."),
    "stop": Reply("Oké, we stoppen hiermee. Stel gerust een nieuwe vraag wanneer je wilt."),
    "thank": Reply("Graag gedaan! Heb je nog een vraag?"),
    "help": Reply(
        "Ik help je met de maatregelen van 'Alle hens aan dek': opleidingen en e-leren, "
        "opleidingsverlof en opleidingscheques, thuiswerk, werkbaar werk, premies voor werkgevers "
        "en de overstap naar zorg of onderwijs. Vraag bijvoorbeeld: 'Wat is Vlaams "
        "opleidingsverlof?' of 'Ik ben tijdelijk werkloos, wat kan ik leren?'",
        [button("Help me kiezen", "start_guidance"), button("Ik wil met iemand spreken", "handoff")],
    ),
    "bot_challenge": Reply(
        "Ik ben een chatbot, geen mens. Ik geef algemene uitleg met bronnen. Wil je liever een "
        "mens spreken? " + VDAB_CONTACT
    ),
    "affirm": Reply("Oké. Wat wil je nog weten?"),
    "deny": Reply("Geen probleem. Stel gerust een andere vraag."),
}
