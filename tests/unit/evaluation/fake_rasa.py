"""A tiny Rasa stand-in over real HTTP (http.server in a thread): the REST channel answers from
a table of replies, /model/parse checks the token like Rasa does."""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterator, List
from urllib.parse import parse_qs, urlsplit

TOKEN = "good-token"


def reply(text: str, measure: str = None, aspect: str = None, **extra) -> List[dict]:
    """The messages Rasa's REST channel sends: the text, then the custom payload."""
    messages = [{"recipient_id": "x", "text": text,
                 "buttons": [{"title": "Meer", "payload": "/ask_more"}]}]
    if measure or aspect or extra:
        measures = [{"id": measure, "title": measure.title(), "source_url": "https://x.be"}] \
            if measure else []
        messages.append({"recipient_id": "x",
                         "custom": {"data": {"measures": measures, "aspect": aspect, **extra}}})
    return messages


class FakeRasa:
    def __init__(self, replies: Dict[str, List[dict]]) -> None:
        self.replies = replies
        self.calls: List[tuple] = []
        self.connections = 0
        self.url = ""


def _handler(fake: FakeRasa):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keeps the connection open, like Rasa's server
        disable_nagle_algorithm = True

        def setup(self):
            fake.connections += 1
            super().setup()

        def do_POST(self):  # noqa: N802 - http.server API
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            fake.calls.append((url.path, query, body))
            if url.path == "/model/parse":
                if query.get("token") != [TOKEN]:
                    return self._send(401, {"status": "failure", "reason": "NotAuthenticated"})
                return self._send(200, {"text": body["text"], "entities": [],
                                        "intent": {"name": "ask_measure", "confidence": 0.87}})
            if url.path == "/webhooks/rest/webhook":
                return self._send(200, fake.replies.get(body["message"], []))
            return self._send(404, {"error": "not found"})

        def _send(self, status: int, payload) -> None:
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    return Handler


@contextmanager
def serving(replies: Dict[str, List[dict]]) -> Iterator[FakeRasa]:
    fake = FakeRasa(replies)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
