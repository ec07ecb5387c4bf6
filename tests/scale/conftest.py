"""The production-like cluster for the scale and fault tests: nginx + two Rasa servers
(deploy/endpoints.production.yml: PostgreSQL tracker store, Redis lock store) + one action server
+ the web app, on a catalogue in PostgreSQL. Fresh databases bot_scale_<random>[_cat], dropped
afterwards. Needs PostgreSQL (127.0.0.1:5432, user postgres), Redis (127.0.0.1:6379) and nginx."""
from __future__ import annotations

import os
import subprocess
import uuid

import pytest

from tests.servers import (reachable, MODEL, NGINX_INSTALL, REPO, VENV_BIN, Cluster, PostgresDatabase,
                           find_nginx, serving)

REDIS_HOST = os.environ.get("BOT_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("BOT_TEST_REDIS_PORT", "6379"))



@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make setup` first")
    if find_nginx() is None:
        pytest.fail(f"nginx is not installed: {NGINX_INSTALL}")
    if not reachable(REDIS_HOST, REDIS_PORT):
        pytest.fail(f"Redis is not running on {REDIS_HOST}:{REDIS_PORT}")
    name = f"bot_scale_{uuid.uuid4().hex[:8]}"
    tracker_db = PostgresDatabase(name)
    catalogue_db = PostgresDatabase(f"{name}_cat")
    try:
        tracker_db.create()
        catalogue_db.create()
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"PostgreSQL on 127.0.0.1:5432 (user postgres) is not usable: {error}")
    workdir = tmp_path_factory.mktemp("cluster")
    env = {"BOT_DATABASE_URL": catalogue_db.url}
    running = Cluster(workdir, env, tracker_db=name, redis_host=REDIS_HOST, redis_port=REDIS_PORT,
                      catalogue_db=catalogue_db)
    try:
        with serving(running):
            subprocess.run([str(VENV_BIN / "python"), "-m", "bot", "catalogue", "load"], cwd=REPO,
                           env={**os.environ, **env}, check=True, capture_output=True, timeout=180)
            running.start()
            yield running
    finally:
        catalogue_db.make_available()
        for database in (tracker_db, catalogue_db):
            database.drop()
