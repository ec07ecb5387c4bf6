"""The production shape for the scale tests and the benchmark: nginx from
deploy/nginx.conf.template in front of two Rasa servers, one action server and the web app,
started with the Procfile's command lines; PostgreSQL tracker store and Redis lock store
(deploy/endpoints.production.yml)."""
from __future__ import annotations

import os
import re
import shutil
import signal
import string
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from tests.servers.process import MODEL, REPO, free_port, http, procfile_command, wait_until
from tests.servers.stack import Stack

PRODUCTION_ENDPOINTS = REPO / "deploy" / "endpoints.production.yml"
NGINX_TEMPLATE = REPO / "deploy" / "nginx.conf.template"
NGINX_INSTALL = "apt-get update && apt-get install -y nginx"
POSTGRES_ADMIN_URL = os.environ.get("BOT_TEST_POSTGRES_ADMIN_URL",
                                    "postgresql://postgres@127.0.0.1:5432/postgres")
PROCFILE_MODEL = "--model models/current.tar.gz"


def find_nginx() -> Optional[str]:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def render_nginx_config(prefix: Path, listen: str, rasa_servers: Sequence[str], web_server: str,
                        allowed_origin: str) -> str:
    """deploy/nginx.conf.template with its ${...} placeholders filled in (nginx's own $variables
    stay); it has exactly two Rasa servers."""
    if len(rasa_servers) != 2:
        raise ValueError("the deploy template has two Rasa servers")
    return string.Template(NGINX_TEMPLATE.read_text()).safe_substitute(
        NGINX_PREFIX=str(prefix), NGINX_LISTEN=listen, RASA_SERVER_1=rasa_servers[0],
        RASA_SERVER_2=rasa_servers[1], WEB_SERVER=web_server, BOT_ALLOWED_ORIGIN=allowed_origin)


class PostgresDatabase:
    """A fresh PostgreSQL database (name checked), dropped by drop(); can be made unavailable."""

    def __init__(self, name: str, admin_url: str = POSTGRES_ADMIN_URL):
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
        command = procfile_command(line)
        if line == "rasa" and self.model != MODEL:
            if PROCFILE_MODEL not in command:
                raise ValueError(f"the Procfile's rasa line has no '{PROCFILE_MODEL}' to replace")
            command = command.replace(PROCFILE_MODEL, f"--model {self.model}")
        return self._spawn_named(name, ["bash", "-c", command], extra_env)

    # -- action server
    def start_actions(self, extra_env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
        process = self._procfile("actions", "actions", extra_env)
        wait_until(lambda: http("GET", f"{self.actions_url}/health")[0] == 200, 90, "action server", process)
        return process

    def stop_actions(self, sig: int = signal.SIGKILL) -> None:
        self._kill("actions", sig)

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
        binary = find_nginx()
        if binary is None:
            raise FileNotFoundError(f"nginx is not installed: {NGINX_INSTALL}")
        # Not under pytest's 0700 tmp dir: nginx's workers run as nobody and need their temp dirs.
        self.nginx_prefix = Path(tempfile.mkdtemp(prefix="bot-nginx-"))
        self.nginx_prefix.chmod(0o755)
        (self.nginx_prefix / "tmp").mkdir(mode=0o755)
        config = self.nginx_prefix / "nginx.conf"
        config.write_text(render_nginx_config(
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
