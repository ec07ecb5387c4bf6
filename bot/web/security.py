"""Security headers on every response, the staff login (token -> signed HttpOnly cookie) and the
staff forms' CSRF token."""
from __future__ import annotations

import hashlib
import hmac
import time
from typing import Optional
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.config import WebConfig

STAFF_COOKIE = "staff_session"
STAFF_COOKIE_PATH = "/staff"
STAFF_SESSION_SECONDS = 8 * 3600


def content_security_policy(config: WebConfig) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        " ".join(["connect-src 'self'", *config.rasa_origins()]),
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class SecurityHeadersMiddleware:
    """Pure ASGI middleware: adds the headers without buffering the body."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", content_security_policy(config).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),  # no-referrer would make the Origin of form posts "null"
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                if scope["path"].startswith(STAFF_COOKIE_PATH) and b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ----------------------------------------------------------------------------- staff login
def _signature(token: str, expires: int) -> str:
    return hmac.new(token.encode(), f"staff:{expires}".encode(), hashlib.sha256).hexdigest()


def token_matches(config: WebConfig, candidate: Optional[str]) -> bool:
    """Constant-time comparison; always False while no staff token is configured."""
    if not config.staff_token or not candidate:
        return False
    return hmac.compare_digest(candidate.strip().encode(), config.staff_token.encode())


def make_staff_cookie(config: WebConfig, now: Optional[float] = None) -> str:
    expires = int(now if now is not None else time.time()) + STAFF_SESSION_SECONDS
    return f"{expires}.{_signature(config.staff_token, expires)}"


def cookie_is_valid(config: WebConfig, value: Optional[str], now: Optional[float] = None) -> bool:
    if not config.staff_token or not value or "." not in value:
        return False
    expires_text, signature = value.split(".", 1)
    if not expires_text.isdigit():
        return False
    expires = int(expires_text)
    if expires < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(signature.encode(), _signature(config.staff_token, expires).encode())


def is_staff(request: Request, config: WebConfig) -> bool:
    """A valid staff cookie or an `Authorization: Bearer <token>` header."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer " and token_matches(config, auth[7:]):
        return True
    return cookie_is_valid(config, request.cookies.get(STAFF_COOKIE))


def same_origin_post(request: Request) -> bool:
    """Refuse cross-site form posts: an Origin header, when sent, must be this site."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    # Host only: behind a TLS-terminating proxy the scheme seen here may differ.
    return urlsplit(origin).netloc.lower() == request.url.netloc.lower()


def csrf_token(request: Request, config: WebConfig) -> str:
    """The token the staff page's changing forms carry: derived from the staff session cookie,
    so another site can neither read nor compute it, and nothing is stored on the server."""
    session = request.cookies.get(STAFF_COOKIE, "")
    return hmac.new(config.staff_token.encode(), f"csrf:{session}".encode(), hashlib.sha256).hexdigest()


def csrf_matches(request: Request, config: WebConfig, candidate: Optional[str]) -> bool:
    if not config.staff_token or not candidate:
        return False
    return hmac.compare_digest(candidate.encode(), csrf_token(request, config).encode())
