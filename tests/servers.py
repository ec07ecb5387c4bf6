"""Start the bot's real servers for end-to-end and browser tests, and stop them again.

Each server runs on its own test port so a `make run` on the same machine does not clash.
Readiness is polled, never slept for.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from bot.bench.nginx import find_nginx, free_port, render_deploy_template
from bot.bench.postgres import PRODUCTION_ENDPOINTS

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
MODEL = REPO / "models" / "current.tar.gz"


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
            # As the Procfile runs the Rasa server: one message is too small for TensorFlow's
            # thread pools to pay off (python -m bot bench profile, "tf1").
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
        if self.endpoints_text is not None:
            path.write_text(self.endpoints_text)
            return path
        path.write_text(
            f'action_endpoint:\n  url: "{self.actions_url}/webhook"\n'
            f"tracker_store:\n  type: bot.tracker_store.CoreSQLTrackerStore\n  dialect: sqlite\n  db: {self.tracker_sqlite_file}\n"
        )
        return path

    def start_actions(self) -> subprocess.Popen:
        process = self._spawn("actions", [str(VENV_BIN / "python"), "-m", "bot.action_server", "--actions",
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


def http_raw(method: str, url: str, data: Optional[bytes] = None, headers: Optional[dict] = None,
             timeout: float = 60.0) -> Tuple[int, bytes, Dict[str, str]]:
    """Like http(), for any body and any status: (status, body bytes, headers); never raises on 4xx/5xx."""
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers or {})


# --------------------------------------------------------------------------- production-like cluster
PROCFILE = REPO / "Procfile"
POSTGRES_ADMIN_URL = os.environ.get("BOT_TEST_POSTGRES_ADMIN_URL",
                                    "postgresql://postgres@127.0.0.1:5432/postgres")
NGINX_INSTALL = "apt-get update && apt-get install -y nginx"


def procfile_command(name: str) -> str:
    """The command of the Procfile line `name: command`."""
    for line in PROCFILE.read_text().splitlines():
        key, _, command = line.partition(":")
        if key.strip() == name and command.strip():
            return command.strip()
    raise KeyError(f"no '{name}:' line in {PROCFILE}")


class PostgresDatabase:
    """A fresh PostgreSQL database (name checked), dropped by drop(); can be made unavailable."""

    def __init__(self, name: str, admin_url: str = POSTGRES_ADMIN_URL):
        import re

        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ValueError(f"unsafe database name {name!r}")
        self.name = name
        self.admin_url = admin_url

    def _admin(self, sql: str, params: tuple = ()) -> list:
        import psycopg2
        from sqlalchemy.engine import make_url

        url = make_url(self.admin_url)
        connection = psycopg2.connect(host=url.host, port=url.port or 5432, user=url.username,
                                      password=url.password, dbname=url.database or "postgres",
                                      connect_timeout=5)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    @property
    def url(self) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.admin_url).set(database=self.name).render_as_string(hide_password=False)

    @property
    def parts(self) -> Dict[str, str]:
        from sqlalchemy.engine import make_url

        url = make_url(self.admin_url)
        return {"host": url.host or "127.0.0.1", "port": str(url.port or 5432),
                "user": url.username or "postgres", "password": url.password or "", "name": self.name}

    def create(self) -> "PostgresDatabase":
        self._admin(f'CREATE DATABASE "{self.name}"')
        return self

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def make_unavailable(self) -> None:
        """No new connections, and the open ones are cut: as if the database server were down."""
        self._admin(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
        self._admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()", (self.name,))

    def make_available(self) -> None:
        self._admin(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')


@dataclass
class Cluster(Stack):
    """nginx + two Rasa servers + one action server + the web app, as in production.

    The Rasa servers, the action server and the web app are started with the Procfile's own
    command lines; the Rasa servers use deploy/endpoints.production.yml (tracker store in the
    PostgreSQL database `tracker_db`, lock store in Redis). nginx runs from
    deploy/nginx.conf.template rendered into a temporary prefix. Stack's API still works and
    addresses server A (rasa_url, say, tracker)."""

    tracker_db: str = ""
    rasa_port_b: int = field(default_factory=free_port)
    nginx_port: int = field(default_factory=free_port)
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    redis_db: int = 0
    lock_lifetime: int = 15
    catalogue_db: Optional[PostgresDatabase] = None
    named: Dict[str, subprocess.Popen] = field(default_factory=dict)
    nginx_prefix: Optional[Path] = None

    @property
    def rasa_ports(self) -> List[int]:
        return [self.rasa_port, self.rasa_port_b]

    @property
    def rasa_urls(self) -> List[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    @property
    def tracker_db_url(self) -> str:
        return PostgresDatabase(self.tracker_db).url

    @property
    def nginx_url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def process_env(self) -> Dict[str, str]:
        tracker = PostgresDatabase(self.tracker_db).parts if self.tracker_db else {}
        return {
            **super().process_env(),
            "RASA_ENDPOINTS": str(PRODUCTION_ENDPOINTS.relative_to(REPO)),
            "ACTION_SERVER_URL": f"{self.actions_url}/webhook",
            "ACTIONS_PORT": str(self.actions_port),
            "TRACKER_DB_HOST": tracker.get("host", ""),
            "TRACKER_DB_PORT": tracker.get("port", ""),
            "TRACKER_DB_NAME": tracker.get("name", ""),
            "TRACKER_DB_USER": tracker.get("user", ""),
            "TRACKER_DB_PASSWORD": tracker.get("password", ""),
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": str(self.redis_port),
            "REDIS_DB": str(self.redis_db),
            "TICKET_LOCK_LIFETIME": str(self.lock_lifetime),
            "BOT_ALLOWED_ORIGIN": self.nginx_url,
            "BOT_RASA_PUBLIC_URL": self.nginx_url,
            "WEB_PORT": str(self.web_port),
            **self.env,
        }

    def _spawn_named(self, name: str, args: List[str], extra_env: Optional[Dict[str, str]] = None,
                     ) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")
        process = subprocess.Popen(args, cwd=REPO, env={**self.process_env(), **(extra_env or {})},
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        self.named[name] = process
        return process

    def _procfile(self, name: str, line: str, extra_env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
        return self._spawn_named(name, ["bash", "-c", procfile_command(line)], extra_env)

    # -- action server
    def start_actions(self) -> None:
        process = self._procfile("actions", "actions")
        wait_until(lambda: http("GET", f"{self.actions_url}/health")[0] == 200, 90, "action server", process)

    def stop_actions(self) -> None:
        self._kill("actions", signal.SIGKILL)

    # -- Rasa servers
    def _rasa_name(self, index: int) -> str:
        return "rasa-" + "ab"[index]

    def spawn_rasa(self, index: int) -> subprocess.Popen:
        return self._procfile(self._rasa_name(index), "rasa", {"RASA_PORT": str(self.rasa_ports[index])})

    def wait_rasa(self, index: int, timeout: float = 240) -> None:
        url = self.rasa_urls[index]
        wait_until(lambda: http("GET", f"{url}/status?token={self.rasa_token}")[1].get("model_file"),
                   timeout, f"Rasa server {'AB'[index]}", self.named[self._rasa_name(index)])

    def start_rasa(self, index: Optional[int] = None) -> None:
        """Both Rasa servers (started together, then awaited), or the one with this index."""
        indexes = [0, 1] if index is None else [index]
        for i in indexes:
            self.spawn_rasa(i)
        for i in indexes:
            self.wait_rasa(i)

    def kill_rasa(self, index: int) -> None:
        """kill -9: no clean shutdown, conversation locks stay in Redis until they expire."""
        self._kill(self._rasa_name(index), signal.SIGKILL)

    def _kill(self, name: str, sig: int) -> None:
        process = self.named.get(name)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(timeout=30)

    # -- web app and nginx
    def start_web(self) -> None:
        process = self._procfile("web", "web")
        wait_until(lambda: http("GET", f"{self.web_url}/healthz")[0] == 200, 60, "web app", process)

    def start_nginx(self) -> None:
        import tempfile

        binary = find_nginx()
        if binary is None:
            raise FileNotFoundError(f"nginx is not installed: {NGINX_INSTALL}")
        # Not under pytest's 0700 tmp dir: nginx's workers run as nobody and need their temp dirs.
        self.nginx_prefix = Path(tempfile.mkdtemp(prefix="bot-nginx-"))
        self.nginx_prefix.chmod(0o755)
        (self.nginx_prefix / "tmp").mkdir(mode=0o755)
        config = self.nginx_prefix / "nginx.conf"
        config.write_text(render_deploy_template(
            self.nginx_prefix, f"127.0.0.1:{self.nginx_port}",
            [f"127.0.0.1:{port}" for port in self.rasa_ports], f"127.0.0.1:{self.web_port}",
            self.nginx_url))
        process = self._spawn_named("nginx", [
            binary, "-p", str(self.nginx_prefix), "-c", str(config),
            "-e", str(self.nginx_prefix / "error.log"), "-g", "daemon off;"])
        wait_until(lambda: http("GET", f"{self.nginx_url}/webhooks/rest/")[0] == 200, 30, "nginx", process)

    def start(self) -> None:
        """Everything: action server, both Rasa servers and the web app start together, nginx
        once they answer."""
        actions = self._procfile("actions", "actions")
        for index in (0, 1):
            self.spawn_rasa(index)
        web = self._procfile("web", "web")
        wait_until(lambda: http("GET", f"{self.actions_url}/health")[0] == 200, 120, "action server", actions)
        wait_until(lambda: http("GET", f"{self.web_url}/healthz")[0] == 200, 60, "web app", web)
        for index in (0, 1):
            self.wait_rasa(index)
        self.start_nginx()

    def access_log(self) -> List[str]:
        if self.nginx_prefix is None or not (self.nginx_prefix / "access.log").exists():
            return []
        return (self.nginx_prefix / "access.log").read_text(errors="replace").splitlines()

    def upstream_hits(self, lines: Optional[List[str]] = None, path: str = "/webhooks/rest/webhook",
                      ) -> Dict[int, int]:
        """How many requests for `path` nginx passed to each Rasa port (a retried request counts
        for every server it tried)."""
        import re

        hits = {port: 0 for port in self.rasa_ports}
        for line in self.access_log() if lines is None else lines:
            if f" {path}" not in line:
                continue
            match = re.search(r"upstream=([^ ]+(?:, [^ ]+)*) upstream_status", line)
            for address in (match.group(1).split(", ") if match else []):
                port = address.rsplit(":", 1)[-1]
                if port.isdigit() and int(port) in hits:
                    hits[int(port)] += 1
        return hits

    def say_at(self, base_url: str, sender: str, text: str, timeout: float = 150.0) -> List[dict]:
        return http("POST", f"{base_url}/webhooks/rest/webhook", {"sender": sender, "message": text},
                    timeout=timeout)[1]

    def stop(self) -> None:
        """SIGTERM to everything at once, SIGKILL to what is still running after 5 s."""
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes.clear()
        if self.nginx_prefix is not None:
            shutil.copytree(self.nginx_prefix, self.workdir / "nginx", dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("tmp"))
            shutil.rmtree(self.nginx_prefix, ignore_errors=True)

    def logs(self) -> str:
        text = super().logs()
        if self.nginx_prefix is not None and (self.nginx_prefix / "error.log").exists():
            text += "\n--- nginx error.log\n" + (self.nginx_prefix / "error.log").read_text(errors="replace")[-3000:]
        return text


def listening_addresses(port: int) -> List[str]:
    """The local addresses a TCP socket listens on for `port` (from /proc/net/tcp and tcp6)."""
    import ipaddress

    found = []
    for table, size in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] != "0A" or int(port_hex, 16) != port:  # 0A = LISTEN
                continue
            raw = bytes.fromhex(address)
            # /proc prints each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.append(str(ipaddress.ip_address(raw)))
    return found

# --------------------------------------------------------------------------- stored conversations
def tracker_events(database_url: str, senders: List[str]) -> Dict[str, List[dict]]:
    """Every event of these senders, all sessions, in stored order, read from the SQL tracker
    store itself (table `events` of Rasa's SQLTrackerStore)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url, future=True)
    found: Dict[str, List[dict]] = {sender: [] for sender in senders}
    try:
        with engine.connect() as connection:
            for start in range(0, len(senders), 500):
                chunk = senders[start:start + 500]
                params = {f"s{i}": sender for i, sender in enumerate(chunk)}
                rows = connection.execute(text(
                    "SELECT sender_id, data FROM events WHERE sender_id IN ("
                    + ", ".join(f":s{i}" for i in range(len(chunk))) + ") ORDER BY id"), params)
                for sender, data in rows:
                    found[sender].append(json.loads(data))
    finally:
        engine.dispose()
    return found


def answer_texts(messages: List[dict]) -> List[str]:
    """The texts of one turn's bot messages as the REST channel returned them."""
    return [m["text"] for m in messages or [] if isinstance(m, dict) and m.get("text")]


class Transcript:
    """What each conversation sent and got back (answer texts, None for no answer), and the
    requests that failed; filled by several threads at once."""

    def __init__(self, senders) -> None:
        self.sent: Dict[str, List[Tuple[str, Optional[List[str]]]]] = {sender: [] for sender in senders}
        self.failures: List[str] = []
        self._lock = threading.Lock()

    def say(self, cluster: "Cluster", base_url: str, sender: str, index: int, text: str, timeout: float) -> None:
        try:
            answer = answer_texts(cluster.say_at(base_url, sender, text, timeout=timeout))
        except Exception as error:  # noqa: BLE001 - counted and reported
            with self._lock:
                self.failures.append(f"{sender} #{index}: {error!r}")
            answer = None
        with self._lock:
            self.sent[sender].append((text, answer))


@dataclass
class ConversationReport:
    """What the tracker store holds compared with what was sent and answered."""

    conversations: int = 0
    user_messages: int = 0
    bot_messages: int = 0
    events_checked: int = 0
    lost: int = 0
    duplicated: int = 0
    out_of_order: int = 0
    unanswered: int = 0
    answer_mismatches: int = 0
    problems: List[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"conversations={self.conversations} user_messages={self.user_messages} "
                f"bot_messages={self.bot_messages} events_checked={self.events_checked} "
                f"lost={self.lost} duplicated={self.duplicated} out_of_order={self.out_of_order} "
                f"unanswered={self.unanswered} answer_mismatches={self.answer_mismatches}")

    @property
    def perfect(self) -> bool:
        return not (self.lost or self.duplicated or self.out_of_order or self.unanswered
                    or self.answer_mismatches)


def check_conversations(events: Dict[str, List[dict]], sent: Dict[str, List[Tuple[str, Optional[List[str]]]]],
                        ordered: bool = True) -> ConversationReport:
    """Compare each sender's stored events with the (user text, answer texts or None) it sent:
    every user message exactly once (in order when `ordered`), each followed by at least one bot
    message, and the bot messages up to the next user message equal to the answer the client
    got (when known)."""
    from collections import Counter

    report = ConversationReport()
    for sender, turns in sent.items():
        stored = events.get(sender, [])
        report.conversations += 1
        report.events_checked += len(stored)
        report.user_messages += len(turns)
        users = [i for i, event in enumerate(stored) if event.get("event") == "user"]
        stored_texts = [stored[i].get("text") for i in users]
        expected = [text for text, _ in turns]
        missing = Counter(expected) - Counter(stored_texts)
        extra = Counter(stored_texts) - Counter(expected)
        report.lost += sum(missing.values())
        report.duplicated += sum(extra.values())
        if missing or extra:
            report.problems.append(f"{sender}: missing {dict(missing)} extra {dict(extra)}")
        elif ordered and stored_texts != expected:
            report.out_of_order += 1
            report.problems.append(f"{sender}: order {stored_texts} != {expected}")
        answers = {text: answer for text, answer in turns}
        for k, index in enumerate(users):
            end = users[k + 1] if k + 1 < len(users) else len(stored)
            bots = [event for event in stored[index + 1:end] if event.get("event") == "bot"]
            report.bot_messages += len(bots)
            if not bots:
                report.unanswered += 1
                report.problems.append(f"{sender}: no bot message after {stored_texts[k]!r}")
                continue
            expected_answer = answers.get(stored_texts[k])
            got = [event.get("text") for event in bots if event.get("text")]
            if expected_answer is not None and got != expected_answer:
                report.answer_mismatches += 1
                report.problems.append(f"{sender}: after {stored_texts[k]!r} stored {got!r}, "
                                       f"client got {expected_answer!r}")
    return report


# --------------------------------------------------------------------------- socket.io client
async def socketio_turns(base_url: str, session_id: str, messages: List[object],
                         transports: Optional[List[str]] = None, quiet: float = 0.8,
                         timeout: float = 60.0, raw: bool = False) -> List[List[dict]]:
    """Send `messages` over socket.io as the chat page does (session_request, then user_uttered
    with session_id) and collect the bot_uttered events of each turn: a turn ends `quiet`
    seconds after its last event. With raw=True each message is emitted as the event's data
    unchanged (for malformed payloads)."""
    import asyncio

    import socketio

    client = socketio.AsyncClient(reconnection=False)
    received: "asyncio.Queue[dict]" = asyncio.Queue()
    confirmed = asyncio.Event()

    @client.on("bot_uttered")
    async def on_bot(data=None, *_):
        await received.put(data)

    @client.on("session_confirm")
    async def on_confirm(*_):
        confirmed.set()

    await client.connect(base_url, socketio_path="socket.io", transports=transports or ["polling"],
                         wait_timeout=20)
    turns: List[List[dict]] = []
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 20)
        for message in messages:
            payload = message if raw else {"message": message, "session_id": session_id}
            await client.emit("user_uttered", payload)
            turn = [await asyncio.wait_for(received.get(), timeout)]
            while True:
                try:
                    turn.append(await asyncio.wait_for(received.get(), quiet))
                except asyncio.TimeoutError:
                    break
            turns.append(turn)
    finally:
        await client.disconnect()
    return turns


async def socketio_websocket_turns(base_url: str, session_id: str, messages: List[str],
                                   quiet: float = 0.8, timeout: float = 60.0,
                                   origin: Optional[str] = None) -> List[List[dict]]:
    """socketio_turns() over a plain websocket (Engine.IO 4 / Socket.IO 5 packets written by
    hand): python-engineio 4.15's websocket client needs a newer aiohttp than Rasa pins. This
    is what goes through nginx's Upgrade/Connection headers."""
    import asyncio

    import websockets

    url = base_url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(url, open_timeout=20, max_size=2 ** 22, origin=origin) as socket:

        async def next_event(wait: float):
            while True:
                packet = await asyncio.wait_for(socket.recv(), wait)
                if packet == "2":  # Engine.IO ping
                    await socket.send("3")
                elif packet.startswith("42"):
                    name, *args = json.loads(packet[2:])
                    return name, args
                elif packet.startswith("40"):
                    return "connect", []
                elif packet.startswith("44"):
                    raise ConnectionError(f"socket.io refused the connection: {packet}")

        opening = await asyncio.wait_for(socket.recv(), 20)
        if not opening.startswith("0"):
            raise ConnectionError(f"no Engine.IO open packet: {opening!r}")
        await socket.send("40")
        if (await next_event(20))[0] != "connect":
            raise ConnectionError("no socket.io connect")
        await socket.send("42" + json.dumps(["session_request", {"session_id": session_id}]))
        while (await next_event(20))[0] != "session_confirm":
            pass
        turns: List[List[dict]] = []
        for message in messages:
            await socket.send("42" + json.dumps(["user_uttered", {"message": message, "session_id": session_id}]))
            turn: List[dict] = []
            wait = timeout
            while True:
                try:
                    name, args = await next_event(wait)
                except asyncio.TimeoutError:
                    if not turn:
                        raise
                    break
                if name == "bot_uttered":
                    turn.append(args[0] if args else {})
                    wait = quiet
            turns.append(turn)
        return turns

@contextmanager
def serving(servers):
    """Yield running servers (a Stack or a Cluster); print their logs when something fails
    and stop them in every case."""
    try:
        yield servers
    except Exception:
        print(servers.logs())
        raise
    finally:
        servers.stop()


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
