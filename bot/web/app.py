"""Starlette app factory: chat page, feedback API, staff page, health check, static files."""
from __future__ import annotations

from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.web.config import WebConfig
from bot.web.feedback_api import post_feedback
from bot.web.security import SecurityHeadersMiddleware
from bot.web.staff import feedback_csv, staff_login, staff_logout, staff_page

HERE = Path(__file__).resolve().parent
SERVICE_NAME = "Alle hens aan dek – vraag het de chatbot"


def http_url(value) -> str:
    """The URL when it is http(s), else "#": no javascript: or data: links from any data."""
    text = str(value or "").strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") else "#"


async def chat_page(request: Request) -> Response:
    config: WebConfig = request.app.state.config
    return request.app.state.templates.TemplateResponse(
        request, "chat.html", {"rasa_url": config.public_rasa_url})


async def healthz(_: Request) -> Response:
    """The JSON string "ok" (tests/servers.py parses every answer as JSON)."""
    return JSONResponse("ok")


async def socket_io_bundle(request: Request) -> Response:
    path: Path = request.app.state.config.socket_io_bundle
    if not path.is_file():
        return PlainTextResponse("socket.io-client ontbreekt: voer 'npm ci' uit.", status_code=404)
    return FileResponse(path, media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=3600"})


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                             autoescape=True)
    env.globals["service_name"] = SERVICE_NAME
    env.filters["http_url"] = http_url
    return Jinja2Templates(env=env)


def create_app(config: Optional[WebConfig] = None) -> Starlette:
    config = config or WebConfig.from_env()
    routes = [
        Route("/", chat_page, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/api/feedback", post_feedback, methods=["POST"]),
        Route("/staff", staff_page, methods=["GET", "POST"]),
        Route("/staff/login", staff_login, methods=["POST"]),
        Route("/staff/logout", staff_logout, methods=["POST"]),
        Route("/staff/feedback.csv", feedback_csv, methods=["GET"]),
        Route("/favicon.ico", lambda _: RedirectResponse("/static/favicon.svg", status_code=301)),
        Route("/static/vendor/socket.io.min.js", socket_io_bundle, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeadersMiddleware, config=config)])
    app.state.config = config
    app.state.templates = _templates()
    return app
