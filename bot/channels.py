"""Input channels that keep personal data and broken input away from the agent.

RedactingRestInput      POST /webhooks/rest/webhook  (same URL as Rasa's `rest` channel)
RedactingSocketIOInput  /socket.io                   (same events as Rasa's `socketio` channel)

Both keep Rasa's channel names ("rest", "socketio"), so URLs and the tracker's input_channel do
not change. Before a message reaches the agent (and so the tracker store and the logs):
- control characters and invalid code points are removed, rijksregisternummers, e-mail
  addresses, phone numbers and IBANs are replaced (bot.privacy.check_message);
- an empty message or one longer than BOT_MAX_MESSAGE_CHARS (default 1000) gets a polite Dutch
  reply without running NLU, and is not stored;
- on REST, a body that is not a JSON object with a text "message" and a "sender" gets HTTP 400
  with an explanation, never a 500.
When the agent produced no answer at all (the action server is unreachable, an exception while
handling the message), the person gets a Dutch message with VDAB's contact instead of silence;
that message is also added to the conversation's tracker.

Registering these channels also makes Rasa validate action server responses with one compiled
JSON schema instead of re-checking the schema itself on every custom action (see
compile_action_response_validation): same verdicts, and the re-check was a large share of a
Rasa server's CPU on turns with a custom action.

credentials.yml:
    bot.channels.RedactingRestInput:
    bot.channels.RedactingSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
"""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel, RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.privacy import check_message, clean
from bot.rasa_api import MAX_CONVERSATION_ID, valid_conversation_id
from bot.dialogue.replies import VDAB_CONTACT

logger = logging.getLogger(__name__)

NO_ANSWER = ("Sorry, er ging iets mis en ik kan je vraag nu niet beantwoorden. "
             "Probeer het zo meteen opnieuw. " + VDAB_CONTACT)
SESSION_UNKNOWN = "Je gesprek is niet gestart. Laad de pagina opnieuw en stel dan je vraag."
UNREADABLE = "Je bericht kon niet worden gelezen. Laad de pagina opnieuw en stel dan je vraag."
MAX_METADATA_BYTES = 8 * 1024

BAD_REQUEST = "Ongeldig verzoek"
EXAMPLE = '{"sender": "gesprek-123", "message": "Wat is telewerk?"}'


class BadRequest(ValueError):
    """A REST body of the wrong shape; the message explains what to send."""


def _sender(value: Any) -> str:
    """A usable conversation id, or BadRequest."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadRequest(f"{BAD_REQUEST}: 'sender' ontbreekt of is geen tekst. Stuur bijvoorbeeld {EXAMPLE}")
    sender = str(value).strip()
    if not valid_conversation_id(sender):
        raise BadRequest(f"{BAD_REQUEST}: 'sender' moet 1 tot {MAX_CONVERSATION_ID} gewone tekens lang zijn.")
    return sender


def _metadata(value: Any) -> Optional[Dict[Text, Any]]:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadRequest(f"{BAD_REQUEST}: 'metadata' moet een JSON-object zijn.")
    try:
        size = len(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    except (TypeError, ValueError):
        raise BadRequest(f"{BAD_REQUEST}: 'metadata' is geen geldige JSON.") from None
    if size > MAX_METADATA_BYTES:
        raise BadRequest(f"{BAD_REQUEST}: 'metadata' is te groot (maximaal {MAX_METADATA_BYTES} bytes).")
    return value


def parse_rest_body(raw: bytes) -> Dict[Text, Any]:
    """The checked REST body: sender, message (any JSON text, checked later), metadata, input_channel."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest(f"{BAD_REQUEST}: de inhoud is geen geldige UTF-8-tekst.") from None
    except ValueError:
        raise BadRequest(f"{BAD_REQUEST}: de inhoud is geen geldige JSON. Stuur bijvoorbeeld {EXAMPLE}") from None
    if not isinstance(body, dict):
        raise BadRequest(f"{BAD_REQUEST}: stuur een JSON-object, bijvoorbeeld {EXAMPLE}")
    if "message" not in body:
        raise BadRequest(f"{BAD_REQUEST}: het veld 'message' ontbreekt. Stuur bijvoorbeeld {EXAMPLE}")
    if not isinstance(body["message"], str):
        raise BadRequest(f"{BAD_REQUEST}: 'message' moet tekst zijn. Stuur bijvoorbeeld {EXAMPLE}")
    channel = body.get("input_channel")
    if channel is not None and not (isinstance(channel, str) and 0 < len(channel) <= 255
                                    and clean(channel) == channel):
        raise BadRequest(f"{BAD_REQUEST}: 'input_channel' moet een korte tekst zijn.")
    return {
        "sender": _sender(body.get("sender")),
        "message": body["message"],
        "metadata": _metadata(body.get("metadata")),
        "input_channel": channel,
    }


async def record_bot_message(agent: Any, sender_id: Text, message_id: Optional[Text], text: Text) -> None:
    """Add `text` as the bot's answer to the tracker, if the user's message was stored.

    Best effort: when the tracker store itself is down this only logs."""
    from rasa.shared.core.events import BotUttered, UserUttered

    if agent is None or getattr(agent, "tracker_store", None) is None:
        return
    try:
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.retrieve(sender_id)
            if tracker is None or not any(isinstance(event, UserUttered) and event.message_id == message_id
                                          for event in tracker.events):
                return
            tracker.update(BotUttered(text, metadata={"no_answer_fallback": True}))
            await agent.tracker_store.save(tracker)
    except Exception:  # noqa: BLE001 - the person already got the message
        logger.exception("Could not add the no-answer message to the tracker of %s", sender_id)


async def _handle(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> None:
    try:
        await on_new_message(message)
    except asyncio.CancelledError:
        logger.error("Handling the message of %s timed out", message.sender_id)
    except Exception:  # noqa: BLE001 - the person gets NO_ANSWER, the log the details
        logger.exception("Handling the message of %s failed", message.sender_id)


def _text_message(recipient_id: Text, text: Text) -> Dict[Text, Any]:
    return {"recipient_id": recipient_id, "text": text}


class RedactingRestInput(RestInput):
    """Rasa's REST channel (name "rest"), with checked input and redacted personal data."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        compile_action_response_validation()
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = parse_rest_body(request.body or b"")
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            sender_id = body["sender"]
            checked = check_message(body["message"])
            stream = request.args.get("stream", "").lower() == "true"
            if not checked.accepted:
                reply = _text_message(sender_id, checked.refusal)
                if stream:
                    return response.text(json.dumps(reply) + "\n", content_type="text/event-stream")
                return response.json([reply])
            input_channel = body["input_channel"] or self.name()
            agent = getattr(request.app.ctx, "agent", None)
            if stream:
                return response.stream(
                    self._stream(on_new_message, agent, checked.text, sender_id, input_channel, body["metadata"]),
                    content_type="text/event-stream")
            collector = CollectingOutputChannel()
            message = UserMessage(checked.text, collector, sender_id, input_channel=input_channel,
                                  metadata=body["metadata"])
            await _handle(on_new_message, message)
            if not collector.messages:
                await record_bot_message(agent, sender_id, message.message_id, NO_ANSWER)
                return response.json([_text_message(sender_id, NO_ANSWER)])
            return response.json(collector.messages)

        return webhook

    def _stream(self, on_new_message, agent, text, sender_id, input_channel, metadata):
        async def stream(resp: Any) -> None:
            queue: asyncio.Queue = asyncio.Queue()
            message = UserMessage(text, QueueOutputChannel(queue), sender_id, input_channel=input_channel,
                                  metadata=metadata)

            async def run() -> None:
                await _handle(on_new_message, message)
                await queue.put("DONE")

            task = asyncio.ensure_future(run())
            sent = 0
            while True:
                result = await queue.get()
                if result == "DONE":
                    break
                sent += 1
                await resp.write(json.dumps(result) + "\n")
            await task
            if not sent:
                await record_bot_message(agent, sender_id, message.message_id, NO_ANSWER)
                await resp.write(json.dumps(_text_message(sender_id, NO_ANSWER)) + "\n")

        return stream


class CountingSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output that counts what it sent."""

    def __init__(self, sio: Any, bot_message_evt: Text) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        self.sent += 1
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class RedactingSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (name "socketio"), with checked input and redacted personal data."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        compile_action_response_validation()
        webhook = super().blueprint(on_new_message)
        sio = self.sio
        state: Dict[str, Any] = {"app": None}

        async def remember_app(app: Any, _loop: Any) -> None:
            state["app"] = app

        webhook.listener("before_server_start")(remember_app)

        async def tell(room: Text, text: Text) -> None:
            await sio.emit(self.bot_message_evt, {"text": text}, room=room)

        # These replace the handlers Rasa's channel registered for the same events.
        async def session_request(sid: Text, data: Any = None, *_: Any) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if session_id is None:
                import uuid

                session_id = uuid.uuid4().hex
            if not valid_conversation_id(session_id):
                await tell(sid, SESSION_UNKNOWN)
                return
            if self.session_persistence:
                sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        async def handle_message(sid: Text, data: Any = None, *_: Any) -> None:
            if not isinstance(data, dict):
                await tell(sid, UNREADABLE)
                return
            if self.session_persistence:
                session_id = data.get("session_id")
                if not valid_conversation_id(session_id):
                    await tell(sid, SESSION_UNKNOWN)
                    return
                sender_id = session_id
            else:
                sender_id = sid
            output = CountingSocketIOOutput(sio, self.bot_message_evt)
            checked = check_message(data.get("message"))
            if not checked.accepted:
                await output.send_text_message(sender_id, checked.refusal)
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}
            message = UserMessage(checked.text, output, sender_id, input_channel=self.name(),
                                  metadata=metadata)
            await _handle(on_new_message, message)
            if not output.sent:
                await output.send_text_message(sender_id, NO_ANSWER)
                app = state["app"]
                agent = getattr(app.ctx, "agent", None) if app is not None else None
                await record_bot_message(agent, sender_id, message.message_id, NO_ANSWER)

        sio.on("session_request", handler=session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handler=handle_message, namespace=self.namespace)
        return webhook


def compile_action_response_validation() -> None:
    """Rasa 3.6 checks every action server response with jsonschema.validate(), which first
    validates the (constant) response schema against the JSON Schema meta-schema, on every turn
    with a custom action. This validates against one compiled validator instead: the same
    checks, the same ValidationError (and message) for a bad response."""
    from jsonschema import exceptions, validators
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction._validate_action_result, "compiled_schema", False):
        return
    spec = RemoteAction.action_response_format_spec()
    validator = validators.validator_for(spec)(spec)

    def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        error = exceptions.best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    _validate_action_result.compiled_schema = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]


__all__: List[str] = ["RedactingRestInput", "RedactingSocketIOInput", "NO_ANSWER", "parse_rest_body",
                      "record_bot_message"]
