"""Talk to a running Rasa server: the answer through the REST channel, the understanding
through the HTTP API (which needs the server's token)."""
from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional

OUT_OF_SCOPE = "out_of_scope"


@dataclass
class BotTurn:
    question: str
    texts: List[str]
    measures: List[Dict] = field(default_factory=list)
    aspect: Optional[str] = None
    intent: Optional[str] = None
    confidence: Optional[float] = None
    entities: List[Dict] = field(default_factory=list)

    @property
    def primary_measure(self) -> str:
        """The measure the answer is about, or out_of_scope when it names none."""
        return self.measures[0]["id"] if self.measures else OUT_OF_SCOPE

    @property
    def answer(self) -> str:
        return "\n".join(self.texts)


class BotClient:
    def __init__(self, rasa_url: Optional[str] = None, token: Optional[str] = None,
                 timeout: float = 30.0) -> None:
        self.rasa_url = (rasa_url or os.environ.get("BOT_RASA_URL", "http://127.0.0.1:5005")).rstrip("/")
        self.token = token if token is not None else os.environ.get("RASA_TOKEN", "")
        self.timeout = timeout

    def _post(self, path: str, body: dict):
        request = urllib.request.Request(
            self.rasa_url + path, data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.load(response)

    def parse(self, text: str) -> dict:
        query = "?" + urllib.parse.urlencode({"token": self.token}) if self.token else ""
        return self._post("/model/parse" + query, {"text": text})

    def say(self, text: str, sender: Optional[str] = None, understand: bool = False) -> BotTurn:
        sender = sender or f"eval-{uuid.uuid4().hex[:12]}"
        messages = self._post("/webhooks/rest/webhook", {"sender": sender, "message": text})
        turn = BotTurn(text, [m["text"] for m in messages if m.get("text")])
        for message in messages:
            data = (message.get("custom") or {}).get("data")
            if data:
                turn.measures = data.get("measures") or []
                turn.aspect = data.get("aspect")
        if understand:
            parsed = self.parse(text)
            turn.intent = parsed["intent"].get("name")
            turn.confidence = parsed["intent"].get("confidence")
            turn.entities = [{"entity": e["entity"], "value": e["value"]} for e in parsed.get("entities", [])]
        return turn
