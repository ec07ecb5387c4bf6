"""One running bot for the end-to-end and browser tests: action server, Rasa server and web app
on free test ports, so a `make run` on the same machine does not clash."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from tests.servers.process import MODEL, REPO, VENV_BIN, free_port, http, wait_until


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
    model: Path = MODEL

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
            # as the Procfile runs the Rasa server
            "TF_INTRA_OP_PARALLELISM_THREADS": "1",
            "TF_INTER_OP_PARALLELISM_THREADS": "1",
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

    @property
    def tracker_sqlite_file(self) -> str:
        """The SQLite file of the tracker store the Rasa server writes to (see endpoints_file)."""
        return self.env.get("TEST_TRACKER_DB", str(self.workdir / "tracker.db"))

    @property
    def tracker_db_url(self) -> str:
        return f"sqlite:///{self.tracker_sqlite_file}"

    def endpoints_file(self) -> Path:
        path = self.workdir / "endpoints.yml"
        path.write_text(
            f'action_endpoint:\n  url: "{self.actions_url}/webhook"\n'
            f"tracker_store:\n  type: bot.tracker_store.CoreSQLTrackerStore\n  dialect: sqlite\n"
            f"  db: {self.tracker_sqlite_file}\n")
        return path

    def start_actions(self) -> subprocess.Popen:
        process = self._spawn("actions", [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions",
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

    def parse(self, text: str) -> dict:
        """What the model understands of `text` (Rasa's HTTP API, with the token)."""
        return http("POST", f"{self.rasa_url}/model/parse?token={self.rasa_token}", {"text": text})[1]

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
