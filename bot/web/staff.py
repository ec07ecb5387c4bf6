"""Staff page: question tester, catalogue, feedback (+ CSV export) and handoffs; and the inbox
tab (/staff?onderdeel=inbox), where staff say what the messages the bot could not place mean."""
from __future__ import annotations

import datetime as dt
import io
import secrets
from dataclasses import dataclass, field
from typing import Optional, Tuple
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.rasa_api import RasaClient, RasaError, Turn
from bot.web.config import WebConfig
from bot.web.security import (
    STAFF_COOKIE,
    STAFF_COOKIE_PATH,
    STAFF_SESSION_SECONDS,
    csrf_matches,
    csrf_token,
    is_staff,
    make_staff_cookie,
    same_origin_post,
    token_matches,
)

MAX_QUESTION = 500
FEEDBACK_LIMIT = 200
HANDOFF_LIMIT = 200
INBOX_LIMIT = 200
INBOX_VIEW = "inbox"
STAFF_LABEL = "staff"  # who assigned: the staff page has one shared login, no names
REASON_NL = {"declined": "geweigerd", "clarified": "doorgevraagd", "no_context": "geen context",
             "fallback": "tweede keer niet begrepen", "thumbs_down": "duim omlaag"}
STATUS_NL = {"open": "open", "assigned": "toegewezen", "out_of_scope": "buiten bereik",
             "dismissed": "genegeerd"}
STATE_NL = {"announced": "aangekondigd", "implemented": "uitgevoerd", "changed": "gewijzigd",
            "abolished": "afgeschaft"}


def _config(request: Request) -> WebConfig:
    return request.app.state.config


def _render(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)


def _refused() -> Response:
    return Response("Verzoek geweigerd.", status_code=403, media_type="text/plain")


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


def _open_in_inbox(config: WebConfig) -> Optional[int]:
    """How many inbox items are open, for the tab's label; None when that cannot be read."""
    from bot.catalogue.db import get_engine, session_scope
    from bot.inbox import open_counts

    try:
        with session_scope(get_engine(config.database_url)) as session:
            return sum(open_counts(session).values())
    except Exception:  # noqa: BLE001 - the page works without the count
        return None


def _export(config: WebConfig) -> str:
    from bot.catalogue.db import get_engine, session_scope
    from bot.feedback import export_csv

    buffer = io.StringIO()
    with session_scope(get_engine(config.database_url)) as session:
        export_csv(session, buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- inbox tab
def _number(text) -> Optional[int]:
    text = str(text or "").strip()
    return int(text) if text.isdigit() else None


@dataclass
class InboxQuery:
    """What the inbox tab shows, read from its URL."""

    reason: Optional[str] = None
    handled: bool = False  # also the items staff already decided on
    item: Optional[int] = None  # one item, to choose one of a measure's answer items
    measure: Optional[str] = None  # whose answer items to offer for that item
    saved: Optional[int] = None  # the item staff just decided on

    @classmethod
    def of(cls, request: Request) -> "InboxQuery":
        params = request.query_params
        reason = params.get("reden")
        return cls(reason=reason if reason in REASON_NL else None, handled=params.get("alles") == "1",
                   item=_number(params.get("item")), measure=params.get("maatregel") or None,
                   saved=_number(params.get("bewaard")))

    def url(self, **extra) -> str:
        """The list's URL, with its filter, plus `extra` query parameters."""
        params = {"onderdeel": INBOX_VIEW, "reden": self.reason, "alles": "1" if self.handled else None, **extra}
        return "/staff?" + urlencode({k: v for k, v in params.items() if v is not None})


def _inbox_row(item, titles: dict) -> dict:
    candidates = [c for c in (item.candidates or "").split(",") if c]
    return {"id": item.id, "text": item.text, "reason_nl": REASON_NL.get(item.reason, item.reason),
            "reply": item.reply or "", "count": item.count, "last_seen": item.last_seen,
            "candidates": [{"id": c, "title": titles.get(c, c)} for c in candidates],
            "status": item.status, "status_nl": STATUS_NL.get(item.status, item.status),
            "measure_id": item.measure_id, "measure_title": titles.get(item.measure_id or "", item.measure_id),
            "item_id": item.item_id, "assigned_by": item.assigned_by, "assigned_at": item.assigned_at}


def _empty_inbox() -> dict:
    return {"items": [], "counts": {}, "evicted": 0, "measures": [], "saved": None, "measure": None,
            "measure_title": None, "answer_items": []}


def _inbox_data(config: WebConfig, query: InboxQuery) -> dict:
    from bot import inbox
    from bot.catalogue import queries
    from bot.catalogue.db import get_engine, session_scope
    from bot.catalogue.records import InboxItem

    with session_scope(get_engine(config.database_url)) as session:
        titles = queries.outline(session).titles
        if query.item is not None:
            items = [i for i in [session.get(InboxItem, query.item)] if i is not None]
        else:
            items = inbox.list_items(session, query.reason, None if query.handled else "open", INBOX_LIMIT)
        rows = [_inbox_row(i, titles) for i in items]
        saved = session.get(InboxItem, query.saved) if query.saved else None
        data = {**_empty_inbox(), "items": rows, "counts": inbox.open_counts(session),
                "evicted": inbox.evicted(session), "measures": sorted(titles.items(), key=lambda kv: kv[1].lower()),
                "saved": _inbox_row(saved, titles) if saved else None}
        if query.item is not None and rows:
            guesses = [query.measure, rows[0]["measure_id"], *(c["id"] for c in rows[0]["candidates"])]
            data["measure"] = next((m for m in guesses if m in titles), None)
            data["measure_title"] = titles.get(data["measure"] or "")
            data["answer_items"] = [(i.id, i.label) for i in queries.answer_items(session)
                                    if i.measure_id == data["measure"]]
    return data


def _decision(form) -> Tuple[str, Optional[str]]:
    """The inbox target (a measure id, out_of_scope or dismiss) and answer item a form asks for."""
    from bot import inbox

    action = form.get("actie")
    if action == "buiten_bereik":
        return inbox.OUT_OF_SCOPE, None
    if action == "negeren":
        return inbox.DISMISS, None
    if action != "toewijzen":
        raise inbox.InboxError("Kies Toewijzen, Buiten bereik of Negeren.")
    measure = str(form.get("maatregel") or "").strip()
    if not measure:
        raise inbox.InboxError("Kies een maatregel.")
    return measure, str(form.get("antwoorditem") or "").strip() or None


def _decide(config: WebConfig, item_id: int, target: str, answer_item: Optional[str]) -> None:
    from bot import inbox
    from bot.catalogue.db import get_engine, session_scope

    with session_scope(get_engine(config.database_url)) as session:
        inbox.assign(session, item_id, target, STAFF_LABEL, answer_item)


async def inbox_tab(request: Request, config: WebConfig) -> Response:
    """The list (filtered on reason), one item with a measure's answer items, and the staff
    decisions: Post/Redirect/Get, so reloading the page decides nothing twice."""
    from bot.inbox import InboxError

    query, error = InboxQuery.of(request), None
    if request.method == "POST":
        form = await request.form()
        # Besides the Origin check: a token only this staff session's pages carry, since an
        # assignment changes what the bot tells everyone (see csrf_token).
        if not csrf_matches(request, config, str(form.get("csrf") or "")):
            return _refused()
        item_id = _number(form.get("item")) or 0
        try:
            target, answer_item = _decision(form)
            await run_in_threadpool(_decide, config, item_id, target, answer_item)
        except InboxError as exc:
            error = f"Item #{item_id}: {exc}"
        else:
            return RedirectResponse(query.url(bewaard=item_id) + "#inbox", status_code=303)
    try:
        data = await run_in_threadpool(_inbox_data, config, query)
    except Exception as exc:  # noqa: BLE001 - shown on the page, like the other tabs' errors
        data = {**_empty_inbox(), "errors": [f"inbox: {type(exc).__name__}: {exc}"[:500]]}
    return _render(request, "staff_inbox.html", {
        "errors": [], **data, "query": query, "error": error, "csrf": csrf_token(request, config),
        "reasons": REASON_NL, "open_total": sum(data["counts"].values()), "view": INBOX_VIEW,
    }, status_code=400 if error else 200)


# ----------------------------------------------------------------------------- routes
async def staff_page(request: Request) -> Response:
    config = _config(request)
    if not is_staff(request, config):
        return _login_page(request)
    if request.method == "POST" and not same_origin_post(request):
        return _refused()
    if request.query_params.get("onderdeel") == INBOX_VIEW:
        return await inbox_tab(request, config)
    check: Optional[QuestionCheck] = None
    question_error = None
    if request.method == "POST":
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
                                           "rasa_url": config.rasa_url,
                                           "open_total": await run_in_threadpool(_open_in_inbox, config)})


async def staff_login(request: Request) -> Response:
    config = _config(request)
    if not same_origin_post(request):
        return _refused()
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
        return _refused()
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
