"""POST /api/feedback: validate the JSON body and store it with bot.feedback."""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any, Optional

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.rasa_api import valid_conversation_id
from bot.web.config import WebConfig

MAX_BODY_BYTES = 32 * 1024
MAX_TEXT = 2000  # question and answer are cut to this length
MAX_COMMENT = 1000
FIELDS = {"sender_id", "question", "answer", "measure_id", "rating", "comment"}
MEASURE_RE = re.compile(r"^[a-z0-9-]{1,64}$")

logger = logging.getLogger(__name__)

BAD_REQUEST = "Je feedback kon niet worden verwerkt."
THANKS = "Bedankt voor je feedback"


class FeedbackError(ValueError):
    """A Dutch message for the visitor."""


@dataclass(frozen=True)
class FeedbackIn:
    sender_id: str
    question: Optional[str]
    answer: Optional[str]
    measure_id: Optional[str]
    rating: int
    comment: Optional[str]


def _text(body: dict, name: str, limit: Optional[int]) -> Optional[str]:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise FeedbackError(f"{BAD_REQUEST} Het veld '{name}' moet tekst zijn.")
    value = value.strip()
    if limit is not None and len(value) > limit:
        value = value[:limit]
    return value or None


def validate_feedback(body: Any) -> FeedbackIn:
    """The checked fields, or FeedbackError with a Dutch message."""
    if not isinstance(body, dict):
        raise FeedbackError(f"{BAD_REQUEST} Stuur een JSON-object.")
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise FeedbackError(f"{BAD_REQUEST} Onbekend veld: {', '.join(unknown)[:100]}.")
    rating = body.get("rating")
    if isinstance(rating, bool) or rating not in (1, -1) or not isinstance(rating, int):
        raise FeedbackError(f"{BAD_REQUEST} De beoordeling moet 1 of -1 zijn.")
    sender = body.get("sender_id")
    if not valid_conversation_id(sender):
        raise FeedbackError(f"{BAD_REQUEST} Het gesprek is onbekend (sender_id ontbreekt of is ongeldig).")
    measure = body.get("measure_id")
    if measure is not None and (not isinstance(measure, str) or not MEASURE_RE.match(measure)):
        raise FeedbackError(f"{BAD_REQUEST} De maatregel is ongeldig.")
    comment = body.get("comment")
    if isinstance(comment, str) and len(comment.strip()) > MAX_COMMENT:
        raise FeedbackError(f"Je opmerking is te lang. Gebruik maximaal {MAX_COMMENT} tekens.")
    return FeedbackIn(
        sender_id=sender,
        question=_text(body, "question", MAX_TEXT),
        answer=_text(body, "answer", MAX_TEXT),
        measure_id=measure or None,
        rating=rating,
        comment=_text(body, "comment", None),
    )


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _store(config: WebConfig, item: FeedbackIn) -> int:
    from bot.catalogue.db import get_engine, session_scope
    from bot.feedback import record_feedback

    with session_scope(get_engine(config.database_url)) as session:
        row = record_feedback(session, item.sender_id, item.question, item.answer,
                              item.measure_id, item.rating, item.comment)
        return row.id


async def post_feedback(request: Request) -> JSONResponse:
    config: WebConfig = request.app.state.config
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return _error(f"{BAD_REQUEST} Stuur JSON (Content-Type: application/json).", 415)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return _error(f"{BAD_REQUEST} Het bericht is te groot.", 413)
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            return _error(f"{BAD_REQUEST} Het bericht is te groot.", 413)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(f"{BAD_REQUEST} Dit is geen geldige JSON.")
    try:
        item = validate_feedback(body)
    except FeedbackError as exc:
        return _error(str(exc))
    try:
        row_id = await run_in_threadpool(_store, config, item)
    except Exception:  # noqa: BLE001 - the visitor gets a Dutch message, the log the details
        logger.exception("storing feedback failed")
        return _error("Je feedback kon nu niet worden bewaard. Probeer het later opnieuw.", 503)
    return JSONResponse({"id": row_id, "message": THANKS}, status_code=201)
