"""Helpers for the web app unit tests.

Starlette's TestClient needs httpx, which the venv does not have, so `Client` drives the ASGI
app directly (one asyncio.run per request) and keeps cookies like a browser would.
"""
from __future__ import annotations

import asyncio
import json as jsonlib
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlencode, urlsplit

STAFF_TOKEN = "staff-test-token-123"
RASA_TOKEN = "rasa-test-token"
RASA_URL = "http://127.0.0.1:5999"


@dataclass
class Result:
    status_code: int
    headers: Dict[str, str]
    header_list: List[Tuple[str, str]]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return jsonlib.loads(self.body)


@dataclass
class Client:
    app: object
    host: str = "testserver"
    cookies: Dict[str, str] = field(default_factory=dict)

    def request(self, method: str, url: str, *, body: bytes = b"", headers: Optional[dict] = None,
                json=None, data: Optional[dict] = None) -> Result:
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        if json is not None:
            body = jsonlib.dumps(json).encode()
            headers.setdefault("content-type", "application/json")
        if data is not None:
            body = urlencode(data).encode()
            headers.setdefault("content-type", "application/x-www-form-urlencoded")
        headers.setdefault("host", self.host)
        headers.setdefault("content-length", str(len(body)))
        if self.cookies and "cookie" not in headers:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        parts = urlsplit(url)
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": parts.path, "raw_path": parts.path.encode(),
            "query_string": parts.query.encode(), "root_path": "",
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 50000), "server": (self.host, 80),
        }
        result = asyncio.run(self._call(scope, body))
        for name, value in result.header_list:
            if name == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0" or not morsel.value or morsel.value == '""':
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
        return result

    async def _call(self, scope: dict, body: bytes) -> Result:
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        start: dict = {}
        chunks: List[bytes] = []

        async def receive():
            if messages:
                return messages.pop(0)
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        header_list = [(k.decode().lower(), v.decode()) for k, v in start.get("headers", [])]
        return Result(start["status"], dict(header_list), header_list, b"".join(chunks))

    def get(self, url: str, **kwargs) -> Result:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> Result:
        return self.request("POST", url, **kwargs)
