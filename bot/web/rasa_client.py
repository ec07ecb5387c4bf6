"""The staff page's calls to Rasa's HTTP API: NLU parse and one REST-channel turn."""
from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Optional

from bot.web.config import WebConfig


class RasaError(RuntimeError):
    """Rasa could not be reached or answered with an error (Dutch message)."""


def _post(url: str, body: dict, timeout: float) -> Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured URL
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        raise RasaError(f"Rasa antwoordde met HTTP {exc.code}.") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise RasaError(f"Rasa is niet bereikbaar ({exc}).") from exc


@dataclass
class QuestionCheck:
    question: str
    sender_id: str
    intent: Optional[str] = None
    confidence: Optional[float] = None
    ranking: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)  # {"text", "buttons"} in order
    payloads: list[dict] = field(default_factory=list)  # custom "data" dicts
    errors: list[str] = field(default_factory=list)


def parse(config: WebConfig, text: str) -> dict:
    query = urllib.parse.urlencode({"token": config.rasa_token})
    return _post(f"{config.rasa_url}/model/parse?{query}", {"text": text}, config.rasa_timeout)


def webhook(config: WebConfig, sender_id: str, text: str) -> list:
    return _post(f"{config.rasa_url}/webhooks/rest/webhook", {"sender": sender_id, "message": text},
                 config.rasa_timeout) or []


def check_question(config: WebConfig, question: str) -> QuestionCheck:
    """Parse the question and ask it in a fresh conversation; errors are collected, not raised."""
    result = QuestionCheck(question=question, sender_id=f"staff-{secrets.token_hex(8)}")
    try:
        parsed = parse(config, question) or {}
        intent = parsed.get("intent") or {}
        result.intent = intent.get("name")
        result.confidence = intent.get("confidence")
        result.ranking = list(parsed.get("intent_ranking") or [])[:5]
        result.entities = list(parsed.get("entities") or [])
    except RasaError as exc:
        result.errors.append(f"Intentie bepalen mislukt: {exc}")
    try:
        for message in webhook(config, result.sender_id, question):
            if not isinstance(message, dict):
                continue
            if message.get("text") or message.get("buttons"):
                result.messages.append({"text": message.get("text") or "",
                                        "buttons": list(message.get("buttons") or [])})
            custom = message.get("custom")
            if isinstance(custom, dict):
                data = custom.get("data", custom)
                result.payloads.append(data if isinstance(data, dict) else {"data": data})
    except RasaError as exc:
        result.errors.append(f"Antwoord ophalen mislukt: {exc}")
    return result
