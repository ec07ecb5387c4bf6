"""The one client of a running Rasa server and the one decoder of its replies.

A reply through the REST channel is a list of messages: {"text", "buttons"} and, separately,
{"custom": {"data": {"measures": [{"id", "title", "source_url", ...}], "aspect": ..., ...}}}.
The primary measure is measures[0]; a reply without a measure is out of scope.

Also here: the one rule for a conversation id (Rasa's sender), and reading var/local.env for
the staff command line.
"""
from __future__ import annotations

import http.client
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional
from urllib.parse import urlencode, urlsplit

from bot.settings import REPO_ROOT

DEFAULT_PORT = "5005"
OUT_OF_SCOPE = "out_of_scope"
READY_QUESTION = "Wat is Alle hens aan dek?"
MAX_CONVERSATION_ID = 255  # the SQL tracker store's sender_id column
LOCAL_ENV = REPO_ROOT / "var" / "local.env"
TOKEN_VARIABLES = ("RASA_TOKEN", "BOT_STAFF_TOKEN")
TOKEN_MESSAGE = "Het token ontbreekt of is fout (RASA_TOKEN, zie var/local.env)."


class RasaError(RuntimeError):
    """Rasa answered with an error or with something that is not a reply (Dutch message)."""


class RasaUnreachable(RasaError):
    """No answer from Rasa: not running, wrong address, or too slow."""


class RasaTokenError(RasaError):
    """HTTP 401 or 403: the token is missing or wrong."""

    def __init__(self, message: str = TOKEN_MESSAGE) -> None:
        super().__init__(message)


# ----------------------------------------------------------------------------- conversation ids
def valid_conversation_id(value: Any) -> bool:
    """A conversation id is 1 to 255 printable characters (no control characters), not only spaces."""
    return (isinstance(value, str) and 0 < len(value) <= MAX_CONVERSATION_ID
            and value.isprintable() and not value.isspace())


# ----------------------------------------------------------------------------- decoding a reply
@dataclass
class Turn:
    """What the bot said in one turn, decoded from the REST channel's messages."""

    texts: List[str] = field(default_factory=list)
    buttons: List[dict] = field(default_factory=list)
    measures: List[dict] = field(default_factory=list)
    aspect: Optional[str] = None
    data: Dict[str, Any] = field(default_factory=dict)  # the custom data, unknown keys included

    @property
    def measure_ids(self) -> List[str]:
        return [m["id"] for m in self.measures]

    @property
    def primary_measure(self) -> Optional[str]:
        return self.measures[0]["id"] if self.measures else None

    @property
    def out_of_scope(self) -> bool:
        return not self.measures

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def _custom_data(message: dict) -> Optional[dict]:
    custom = message.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("data"), dict):
        custom = custom["data"]
    return custom if isinstance(custom, dict) else None


def decode(messages: Any) -> Turn:
    """The turn in a REST-channel reply. Measures of all custom messages are kept in order
    (each id once); for other keys the first message that has them wins."""
    turn = Turn()
    for message in messages if isinstance(messages, list) else []:
        if not isinstance(message, dict):
            continue
        if isinstance(message.get("text"), str) and message["text"]:
            turn.texts.append(message["text"])
        turn.buttons.extend(b for b in message.get("buttons") or [] if isinstance(b, dict))
        data = _custom_data(message)
        if data is None:
            continue
        for key, value in data.items():
            turn.data.setdefault(key, value)
        for item in data.get("measures") or []:
            item = {"id": item} if isinstance(item, str) else item
            if isinstance(item, dict) and isinstance(item.get("id"), str) \
                    and item["id"] not in turn.measure_ids:
                turn.measures.append(item)
    aspect = turn.data.get("aspect")
    turn.aspect = aspect if isinstance(aspect, str) else None
    return turn


# ----------------------------------------------------------------------------- the client
def default_url() -> str:
    """BOT_RASA_URL, or the local server on RASA_PORT."""
    return (os.environ.get("BOT_RASA_URL", "").strip()
            or f"http://127.0.0.1:{os.environ.get('RASA_PORT', '').strip() or DEFAULT_PORT}")


class RasaClient:
    """Rasa's REST channel and HTTP API. One kept-alive connection per thread."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None,
                 timeout: float = 30.0) -> None:
        self.url = (url or default_url()).rstrip("/")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not an http(s) URL: {self.url!r}")
        self._https = parts.scheme == "https"
        self._netloc = parts.netloc
        self._prefix = parts.path
        self.token = token if token is not None else os.environ.get("RASA_TOKEN", "").strip()
        self.timeout = timeout
        self._local = threading.local()
        self._opened: List[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def __enter__(self) -> "RasaClient":
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections of all threads (a later request opens a new one)."""
        with self._lock:
            for connection in self._opened:
                connection.close()

    def say(self, sender: str, text: str) -> Turn:
        """Send one message in conversation `sender`; the decoded reply."""
        if not valid_conversation_id(sender):
            raise ValueError(f"not a conversation id: {sender!r}")
        messages = self._request("/webhooks/rest/webhook", {"sender": sender, "message": text})
        if not isinstance(messages, list):
            raise RasaError("Rasa gaf geen lijst met berichten terug.")
        return decode(messages)

    def parse(self, text: str) -> dict:
        """What the NLU understood (intent, ranking, entities); needs the token."""
        result = self._request("/model/parse", {"text": text}, {"token": self.token})
        if not isinstance(result, dict):
            raise RasaError("Rasa gaf geen geldig resultaat voor /model/parse.")
        return result

    def ready(self, question: str = READY_QUESTION) -> bool:
        """True when the bot answers a question with text (model loaded, actions running)."""
        try:
            return bool(self.say("startup-check", question).texts)
        except RasaTokenError:
            raise
        except RasaError:
            return False

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            connection = kind(self._netloc, timeout=self.timeout)
            self._local.connection = connection
            with self._lock:
                self._opened.append(connection)
        return connection

    def _request(self, path: str, body: dict, query: Optional[dict] = None) -> Any:
        target = self._prefix + path + (f"?{urlencode(query)}" if query else "")
        payload = json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        for attempt in (1, 2):
            connection = self._connection()
            reused = connection.sock is not None
            try:
                connection.request("POST", target, body=payload, headers=headers)
                response = connection.getresponse()
                raw = response.read()
                break
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected) as error:
                connection.close()
                if reused and attempt == 1:
                    continue  # the server closed the kept-alive connection: once more on a new one
                raise RasaUnreachable(self._unreachable(error)) from error
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                raise RasaUnreachable(self._unreachable(error)) from error
        if response.status in (401, 403):
            raise RasaTokenError()
        if response.status >= 400:
            raise RasaError(f"Rasa antwoordde met HTTP {response.status}.")
        try:
            return json.loads(raw.decode("utf-8") or "null")
        except ValueError as error:
            raise RasaError("Rasa gaf een antwoord dat geen JSON is.") from error

    def _unreachable(self, error: BaseException) -> str:
        if isinstance(error, TimeoutError):
            return f"Rasa antwoordde niet binnen {self.timeout:.0f} s op {self.url}."
        return f"Rasa is niet bereikbaar op {self.url} ({error or type(error).__name__})."


# ----------------------------------------------------------------------------- var/local.env
def load_local_env(path: Optional[Path] = None, names: Iterable[str] = TOKEN_VARIABLES) -> bool:
    """Read the env file (default var/local.env, written by `make`) when one of `names` is not
    set; a variable that is set and not empty is never replaced. True when the file was read."""
    path = path or LOCAL_ENV
    if all(os.environ.get(name, "").strip() for name in names) or not path.is_file():
        return False
    from dotenv import dotenv_values

    for key, value in dotenv_values(path).items():
        if value is not None and not os.environ.get(key, "").strip():
            os.environ[key] = value
    return True
