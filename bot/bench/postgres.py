"""A fresh PostgreSQL database for the shared tracker store, dropped afterwards."""
from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, Tuple

from bot.settings import REPO_ROOT

# The deployment's endpoints (PostgreSQL tracker store + the project's Redis lock store), filled in
# from the environment.
PRODUCTION_ENDPOINTS = REPO_ROOT / "deploy" / "endpoints.production.yml"

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = "postgres"


def _connect(database: str = "postgres", host: str = PG_HOST, port: int = PG_PORT, user: str = PG_USER):
    import psycopg2

    connection = psycopg2.connect(host=host, port=port, user=user, dbname=database, connect_timeout=5)
    connection.autocommit = True
    return connection


@dataclass
class FreshDatabase:
    name: str = field(default_factory=lambda: f"bench_{uuid.uuid4().hex[:10]}")
    host: str = PG_HOST
    port: int = PG_PORT
    user: str = PG_USER

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.name):
            raise ValueError(f"unsafe database name {self.name!r}")

    def _admin(self, statement: str) -> None:
        """Run one statement on the server's maintenance database (the name is checked)."""
        connection = _connect(host=self.host, port=self.port, user=self.user)
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def create(self) -> None:
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def has_table(self, table: str) -> bool:
        connection = _connect(self.name, self.host, self.port, self.user)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_regclass(%s)", (table,))
                return cursor.fetchone()[0] is not None
        finally:
            connection.close()

    def wait_for_table(self, table: str, timeout: float, check_alive=lambda: True) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not check_alive():
                raise RuntimeError("server exited before creating the tracker tables")
            if self.has_table(table):
                return
            time.sleep(0.5)
        raise TimeoutError(f"table {table} not created in {self.name}")

    def production_endpoints(self, actions_url: str, redis_host: str = "127.0.0.1", redis_port: int = 6379,
                             redis_db: int = 0) -> Tuple[str, Dict[str, str], str]:
        """(endpoints.yml text, environment for the servers, where it came from):
        deploy/endpoints.production.yml, filled in from the environment with this database."""
        env = {"ACTION_SERVER_URL": f"{actions_url}/webhook", "TRACKER_DB_HOST": self.host,
               "TRACKER_DB_PORT": str(self.port), "TRACKER_DB_NAME": self.name, "TRACKER_DB_USER": self.user,
               "TRACKER_DB_PASSWORD": "", "REDIS_HOST": redis_host, "REDIS_PORT": str(redis_port),
               "REDIS_DB": str(redis_db), "TICKET_LOCK_LIFETIME": "15"}
        return PRODUCTION_ENDPOINTS.read_text(), env, "deploy/endpoints.production.yml"
