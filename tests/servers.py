"""Start the bot's real servers for end-to-end and browser tests, and stop them again.

Each server runs on its own test port so a `make run` on the same machine does not clash.
Readiness is polled, never slept for.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
MODEL = REPO / "models" / "current.tar.gz"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: Optional[dict] = None, headers: Optional[dict] = None,
         timeout: float = 30.0):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
        return response.status, (json.loads(raw) if raw else None)


def wait_until(check, timeout: float, what: str, process: Optional[subprocess.Popen] = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if check():
                return
        except (urllib.error.URLError, ConnectionError, OSError, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s")


@dataclass
class Stack:
    """A running bot: action server, Rasa server and web app, sharing one database."""

    workdir: Path
    env: Dict[str, str]
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    rasa_token: str = field(default_factory=lambda: secrets.token_hex(8))
    staff_token: str = field(default_factory=lambda: secrets.token_hex(8))
    processes: List[subprocess.Popen] = field(default_factory=list)
    # Optional for other callers (the benchmark): another model, or a whole endpoints.yml text
    # (e.g. a PostgreSQL tracker store and a Redis lock store shared by several Rasa servers).
    model: Path = MODEL
    endpoints_text: Optional[str] = None

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    def process_env(self) -> Dict[str, str]:
        return {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "SANIC_HOST": "127.0.0.1",
            "RASA_TOKEN": self.rasa_token,
            "BOT_STAFF_TOKEN": self.staff_token,
            "BOT_RASA_URL": self.rasa_url,
            "BOT_ALLOWED_ORIGIN": self.web_url,
            **self.env,
        }

    def _spawn(self, name: str, args: List[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "wb")
        process = subprocess.Popen(args, cwd=REPO, env=self.process_env(), stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def endpoints_file(self) -> Path:
        path = self.workdir / "endpoints.yml"
        if self.endpoints_text is not None:
            path.write_text(self.endpoints_text)
            return path
        tracker = self.env.get("TEST_TRACKER_DB", str(self.workdir / "tracker.db"))
        path.write_text(
            f'action_endpoint:\n  url: "{self.actions_url}/webhook"\n'
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker}\n"
        )
        return path

    def start_actions(self) -> subprocess.Popen:
        process = self._spawn("actions", [str(VENV_BIN / "rasa"), "run", "actions", "--actions",
                                          "actions", "--port", str(self.actions_port)])
        wait_until(lambda: http("GET", f"{self.actions_url}/health")[0] == 200, 60,
                   "action server", process)
        return process

    def spawn_rasa(self, port: Optional[int] = None, name: str = "rasa") -> subprocess.Popen:
        """Start a Rasa server (on `port`, default rasa_port) without waiting for it."""
        return self._spawn(name, [
            str(VENV_BIN / "rasa"), "run", "--model", str(self.model), "--enable-api",
            "--auth-token", self.rasa_token, "--cors", self.web_url,
            "--credentials", str(REPO / "credentials.yml"),
            "--endpoints", str(self.endpoints_file()), "--port", str(port or self.rasa_port)])

    def wait_rasa(self, process: subprocess.Popen, port: Optional[int] = None,
                  timeout: float = 180) -> None:
        url = f"http://127.0.0.1:{port or self.rasa_port}"
        wait_until(lambda: http("GET", f"{url}/status?token={self.rasa_token}")[1]
                   .get("model_file"), timeout, "Rasa server", process)

    def start_rasa(self) -> subprocess.Popen:
        process = self.spawn_rasa()
        self.wait_rasa(process)
        return process

    def start_web(self) -> None:
        process = self._spawn("web", [str(VENV_BIN / "python"), "-m", "bot", "web",
                                      "--port", str(self.web_port)])
        wait_until(lambda: http("GET", f"{self.web_url}/healthz")[0] == 200, 60, "web app", process)

    def say(self, sender: str, text: str) -> List[dict]:
        """One message through the REST channel; the bot's messages of that turn."""
        return http("POST", f"{self.rasa_url}/webhooks/rest/webhook",
                    {"sender": sender, "message": text})[1]

    def tracker(self, sender: str) -> dict:
        return http("GET", f"{self.rasa_url}/conversations/{sender}/tracker?token={self.rasa_token}")[1]

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                         for p in sorted(self.workdir.glob("*.log")))


def bot_texts(messages: List[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages if m.get("text"))


def bot_payload(messages: List[dict]) -> Optional[dict]:
    """The turn's custom payload `data`, as the REST channel returns it."""
    for message in messages:
        custom = message.get("custom")
        if custom:
            return custom.get("data", custom)
    return None


if __name__ == "__main__":  # pragma: no cover - manual helper
    sys.exit("import this module from tests")
