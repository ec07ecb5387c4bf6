"""Staff page: question tester, catalogue, feedback (+ CSV export) and handoffs."""
from __future__ import annotations

import datetime as dt
import io
import secrets
from dataclasses import dataclass, field
from typing import Optional

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.rasa_api import RasaClient, RasaError, Turn
from bot.web.config import WebConfig
from bot.web.security import (
    STAFF_COOKIE,
    STAFF_COOKIE_PATH,
    STAFF_SESSION_SECONDS,
    is_staff,
    make_staff_cookie,
    same_origin_post,
    token_matches,
)

MAX_QUESTION = 500
FEEDBACK_LIMIT = 200
HANDOFF_LIMIT = 200
STATE_NL = {"announced": "aangekondigd", "implemented": "uitgevoerd", "changed": "gewijzigd",
            "abolished": "afgeschaft"}


def _config(request: Request) -> WebConfig:
    return request.app.state.config


def _render(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)


def _login_page(request: Request, error: Optional[str] = None) -> Response:
    closed = not _config(request).staff_token
    return _render(request, "staff_login.html", {"error": error, "closed": closed}, status_code=401)


# ----------------------------------------------------------------------------- question tester
@dataclass
class QuestionCheck:
    question: str
    sender_id: str
    intent: Optional[str] = None
    confidence: Optional[float] = None
    ranking: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    turn: Optional[Turn] = None
    errors: list[str] = field(default_factory=list)


def check_question(config: WebConfig, question: str) -> QuestionCheck:
    """Parse the question and ask it in a fresh conversation; errors are collected, not raised."""
    result = QuestionCheck(question=question, sender_id=f"staff-{secrets.token_hex(8)}")
    with RasaClient(config.rasa_url, config.rasa_token, timeout=config.rasa_timeout) as rasa:
        try:
            parsed = rasa.parse(question)
            intent = parsed.get("intent") or {}
            result.intent = intent.get("name")
            result.confidence = intent.get("confidence")
            result.ranking = list(parsed.get("intent_ranking") or [])[:5]
            result.entities = list(parsed.get("entities") or [])
        except RasaError as exc:
            result.errors.append(f"Intentie bepalen mislukt: {exc}")
        try:
            result.turn = rasa.say(result.sender_id, question)
        except RasaError as exc:
            result.errors.append(f"Antwoord ophalen mislukt: {exc}")
    return result


# ----------------------------------------------------------------------------- data for the page
def _catalogue(session) -> list[dict]:
    from bot.catalogue.queries import list_measures

    measures = []
    for m in list_measures(session):
        sources, seen = [], set()
        for answer in m.answers:
            for s in answer.sources:
                if s.id not in seen:
                    seen.add(s.id)
                    sources.append({"id": s.id, "url": s.url, "title": s.title, "published": s.published})
        measures.append({
            "id": m.id, "title": m.title, "state": m.status_state,
            "state_nl": STATE_NL.get(m.status_state, m.status_state),
            "since": m.status_since, "until": m.status_until, "successor": m.status_successor,
            "note": m.status_note, "last_verified": m.last_verified, "sources": sources,
            "instruments": [{"id": i.id, "title": i.title,
                             "state_nl": STATE_NL.get(i.status_state, i.status_state),
                             "since": i.status_since, "until": i.status_until,
                             "successor": i.status_successor} for i in m.instruments],
        })
    return measures


def _rows(objects, fields) -> list[dict]:
    return [{f: getattr(o, f) for f in fields} for o in objects]


def _page_data(config: WebConfig) -> dict:
    from bot.catalogue.db import get_engine, session_scope
    from bot.feedback import list_feedback, list_handoffs

    data: dict = {"errors": []}
    engine = get_engine(config.database_url)
    for key, load in (
        ("measures", _catalogue),
        ("feedback", lambda s: _rows(list_feedback(s, FEEDBACK_LIMIT), (
            "id", "created_at", "sender_id", "question", "answer", "measure_id", "rating", "comment"))),
        ("handoffs", lambda s: _rows(list_handoffs(s, HANDOFF_LIMIT), (
            "id", "created_at", "sender_id", "reason", "last_message"))),
    ):
        try:
            with session_scope(engine) as session:
                data[key] = load(session)
        except Exception as exc:  # noqa: BLE001 - one broken section must not hide the others
            data[key] = []
            data["errors"].append(f"{key}: {type(exc).__name__}: {exc}"[:500])
    return data


def _export(config: WebConfig) -> str:
    from bot.catalogue.db import get_engine, session_scope
    from bot.feedback import export_csv

    buffer = io.StringIO()
    with session_scope(get_engine(config.database_url)) as session:
        export_csv(session, buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- routes
async def staff_page(request: Request) -> Response:
    config = _config(request)
    if not is_staff(request, config):
        return _login_page(request)
    check: Optional[QuestionCheck] = None
    question_error = None
    if request.method == "POST":
        if not same_origin_post(request):
            return Response("Verzoek geweigerd.", status_code=403, media_type="text/plain")
        form = await request.form()
        question = str(form.get("vraag") or "").strip()
        if not question:
            question_error = "Typ een vraag."
        elif len(question) > MAX_QUESTION:
            question_error = f"De vraag is te lang (maximaal {MAX_QUESTION} tekens)."
        else:
            check = await run_in_threadpool(check_question, config, question)
    data = await run_in_threadpool(_page_data, config)
    return _render(request, "staff.html", {**data, "check": check, "question_error": question_error,
                                           "rasa_url": config.rasa_url})


async def staff_login(request: Request) -> Response:
    config = _config(request)
    if not same_origin_post(request):
        return Response("Verzoek geweigerd.", status_code=403, media_type="text/plain")
    form = await request.form()
    if not token_matches(config, str(form.get("token") or "")):
        return _login_page(request, "Deze code klopt niet.")
    response = RedirectResponse("/staff", status_code=303)
    response.set_cookie(STAFF_COOKIE, make_staff_cookie(config), max_age=STAFF_SESSION_SECONDS,
                        path=STAFF_COOKIE_PATH, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


async def staff_logout(request: Request) -> Response:
    if not same_origin_post(request):
        return Response("Verzoek geweigerd.", status_code=403, media_type="text/plain")
    response = RedirectResponse("/staff", status_code=303)
    response.delete_cookie(STAFF_COOKIE, path=STAFF_COOKIE_PATH)
    return response


async def feedback_csv(request: Request) -> Response:
    config = _config(request)
    if not is_staff(request, config):
        return _login_page(request)
    text = await run_in_threadpool(_export, config)
    name = f"feedback-{dt.date.today().isoformat()}.csv"
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
