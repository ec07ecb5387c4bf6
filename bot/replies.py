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


@dataclass
class Reply:
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    # [{"id": measure id, "title": ..., "source_url": ...}], the primary measure first.
    measures: List[Dict[str, str]] = field(default_factory=list)
    aspect: Optional[str] = None

    def payload(self) -> Optional[Dict]:
        """The custom payload; under "data" because Rasa's socket.io channel emits **payload."""
        if not self.measures:
            return None
        return {"data": {"measures": self.measures, "aspect": self.aspect}}


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
