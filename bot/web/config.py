"""Web app settings, read from the environment once per app.

BOT_RASA_URL         Rasa's HTTP URL as the web server reaches it (default http://127.0.0.1:5005)
BOT_RASA_PUBLIC_URL  Rasa's URL as the visitor's browser reaches it (default: BOT_RASA_URL);
                     "same-origin": the page's own origin, when a proxy sends /socket.io/ to Rasa
RASA_TOKEN           Rasa's --auth-token, for /model/parse on the staff page
BOT_STAFF_TOKEN      the staff page's login token; empty: the staff page is closed
BOT_DATABASE_URL     see bot.settings
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from bot.settings import REPO_ROOT

SOCKET_IO_BUNDLE: Path = REPO_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
SAME_ORIGIN = ("same-origin", "self", "/")


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def _clean_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


@dataclass(frozen=True)
class WebConfig:
    rasa_url: str = DEFAULT_RASA_URL
    public_rasa_url: str = DEFAULT_RASA_URL  # "": the page's own origin
    rasa_token: str = ""
    staff_token: str = ""
    database_url: Optional[str] = None  # None: bot.settings.database_url() at each use
    socket_io_bundle: Path = SOCKET_IO_BUNDLE
    rasa_timeout: float = 30.0

    @classmethod
    def from_env(cls) -> "WebConfig":
        rasa_url = _clean_url(_env("BOT_RASA_URL", DEFAULT_RASA_URL))
        public = _env("BOT_RASA_PUBLIC_URL", rasa_url)
        return cls(
            rasa_url=rasa_url,
            public_rasa_url="" if public.lower() in SAME_ORIGIN else _clean_url(public),
            rasa_token=_env("RASA_TOKEN"),
            staff_token=_env("BOT_STAFF_TOKEN"),
            database_url=_env("BOT_DATABASE_URL") or None,
        )

    def rasa_origins(self) -> list[str]:
        """The browser's Rasa origin for connect-src: http(s) for polling, ws(s) for websockets."""
        if not self.public_rasa_url:
            return []  # same origin: 'self' covers it
        parts = urlsplit(self.public_rasa_url)
        ws = "wss" if parts.scheme == "https" else "ws"
        return [f"{parts.scheme}://{parts.netloc}", f"{ws}://{parts.netloc}"]
