"""deploy/run-cluster.sh under supervisord (deploy/supervisord.cluster.conf), started as it is in
production: nginx -> two Rasa servers (PostgreSQL tracker store, Redis lock store) + the action
server + the web app, on test ports and fresh databases. One Rasa server is killed with kill -9
while conversations talk to nginx: nginx answers every message from the other server, supervisord
starts the killed one again, nginx sends it messages again, and no message is lost. SIGTERM to the
foreground command stops every process."""
from __future__ import annotations

import re
import secrets
import shutil
import signal
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import pytest

from bot.channels import NO_ANSWER
from tests.servers import (reachable, MODEL, PostgresDatabase, check_conversations, find_nginx, free_port, http,
                           tracker_events)
from tests.supervision import (Load, SupervisedTree, differing_answers, listened_ports, passes,
                               poll_until_back, rest_answers, summary)

RASA_BACK_WITHIN = 120
PORTS = ("RASA_PORT_1", "RASA_PORT_2", "ACTIONS_PORT", "WEB_PORT", "NGINX_PORT")



@dataclass
class ClusterRun:
    tree: SupervisedTree
    ports: Dict[str, int]
    token: str
    tracker_db: str

    @property
    def nginx_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['NGINX_PORT']}"

    @property
    def access_log(self) -> Path:
        return self.tree.run_dir / "access.log"

    def rasa_up(self, index: int) -> bool:
        url = f"http://127.0.0.1:{self.ports[f'RASA_PORT_{index}']}/status?token={self.token}"
        return bool(http("GET", url)[1].get("model_file"))


@pytest.fixture(scope="module")
def supervised_cluster(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make setup` first")
    if find_nginx() is None:
        pytest.fail("nginx is not installed: apt-get update && apt-get install -y nginx")
    if not reachable("127.0.0.1", 6379):
        pytest.fail("Redis is not running on 127.0.0.1:6379")
    name = f"bot_supervised_{uuid.uuid4().hex[:8]}"
    tracker_db, catalogue_db = PostgresDatabase(name), PostgresDatabase(f"{name}_cat")
    tracker_db.create()
    catalogue_db.create()
    # Not under pytest's 0700 directories: nginx's workers run as nobody.
    run_dir = Path(tempfile.mkdtemp(prefix="bot-cluster-test-"))
    ports = {port: free_port() for port in PORTS}
    token = secrets.token_hex(8)
    env = {**{key: str(port) for key, port in ports.items()},
           "RASA_TOKEN": token, "BOT_STAFF_TOKEN": secrets.token_hex(8),
           "BOT_DATABASE_URL": catalogue_db.url, "TRACKER_DB_NAME": name, "BOT_RUN_DIR": str(run_dir)}
    tree = SupervisedTree(["deploy/run-cluster.sh"], env,
                          tmp_path_factory.mktemp("cluster-supervised") / "output.log")
    running = ClusterRun(tree, ports, token, tracker_db.url)
    tree.start()
    try:
        deadline = time.monotonic() + 300
        while not (passes(lambda: running.rasa_up(1) and running.rasa_up(2))
                   and passes(lambda: rest_answers(running.nginx_url, f"probe-{uuid.uuid4().hex[:8]}",
                                                   "Hallo"))):
            assert tree.running(), f"run-cluster.sh stopped:\n{tree.output()[-4000:]}"
            assert time.monotonic() < deadline, f"the cluster did not answer:\n{tree.output()[-4000:]}"
            time.sleep(1)
        yield running
    except Exception:
        print(tree.output()[-6000:])
        raise
    finally:
        tree.stop()
        shutil.rmtree(run_dir, ignore_errors=True)
        for database in (tracker_db, catalogue_db):
            database.drop()


def _rest_lines(lines: List[str]) -> List[str]:
    return [line for line in lines if "/webhooks/rest/webhook" in line and "upstream=" in line]


def _upstreams(line: str) -> List[str]:
    return line.split("upstream=")[1].split(" upstream_status")[0].split(", ")


def _answered_by(lines: List[str], port: int) -> int:
    """REST messages that the server on `port` answered (the last upstream nginx tried)."""
    return sum(1 for line in _rest_lines(lines)
               if _upstreams(line)[-1].endswith(f":{port}") and re.search(r'" 200 ', line))


def test_a_killed_rasa_server_is_bypassed_by_nginx_comes_back_and_no_message_is_lost(supervised_cluster):
    cluster = supervised_cluster
    tree, port_2 = cluster.tree, cluster.ports["RASA_PORT_2"]
    others = ("actions", "rasa-1", "web", "nginx")
    pids = {name: tree.pid(name) for name in (*others, "rasa-2")}
    with Load(cluster.nginx_url, conversations=6) as load:
        load.wait_answered(3, after=0)
        log_start = len(cluster.access_log.read_text().splitlines())
        killed = time.monotonic()
        tree.kill9("rasa-2")
        back, failures = poll_until_back(tree, "rasa-2", pids["rasa-2"], lambda: cluster.rasa_up(2),
                                         {"rasa-1": lambda: cluster.rasa_up(1)}, RASA_BACK_WITHIN + 30)
        log_back = len(cluster.access_log.read_text().splitlines())
        # nginx skips a server that failed for 10 s, then sends it messages again
        deadline = time.monotonic() + 60
        while not _answered_by(cluster.access_log.read_text().splitlines()[log_back:], port_2):
            assert time.monotonic() < deadline, "nginx sends nothing to the restarted server"
            time.sleep(0.5)
        load.wait_answered(2, after=time.monotonic())
    logged = cluster.access_log.read_text().splitlines()[log_start:]
    lines = _rest_lines(logged)
    retried = sum(1 for line in lines if len(_upstreams(line)) > 1)
    errors = [line for line in lines if not re.search(r'" 200 ', line)]
    messages = load.messages
    during = [m for m in messages if killed <= m.sent <= killed + back]
    events = tracker_events(cluster.tracker_db, load.senders)
    report = check_conversations(events, load.sent_by_sender())
    differing = differing_answers(events, load.sent_by_sender())
    print(f"\n[cluster kill -9 rasa-2] back after {back:.1f} s; all: {summary(messages)}; "
          f"sent during the gap: {summary(during)}; retried by nginx: {retried}; answered by rasa-2 "
          f"once back: {_answered_by(logged[log_back - log_start:], port_2)}; lost={report.lost} "
          f"duplicated={report.duplicated} unanswered={report.unanswered} differing_answers={len(differing)}")
    assert back <= RASA_BACK_WITHIN, f"rasa-2 back after {back:.0f} s"
    assert not failures, failures
    assert {name: tree.pid(name) for name in others} == {name: pids[name] for name in others}
    # Every message got a reply, also those sent while rasa-2 was down: nginx answered them from
    # rasa-1; none got an error.
    assert during and all(m.texts and not m.error for m in messages), \
        [(m.text, m.error) for m in messages if not m.texts or m.error][:5]
    assert not errors, errors[:5]
    assert not [m for m in messages if m.texts == [NO_ANSWER]], "the action server failed"
    assert report.lost == 0 and report.unanswered == 0, report.problems[:5]
    assert not differing, differing[:5]
    # Stored twice only when rasa-2 saved the turn, died before answering and nginx retried it.
    assert report.duplicated <= retried, report.problems[:5]


def test_sigterm_stops_every_process_of_the_cluster(supervised_cluster):
    cluster = supervised_cluster
    tree = cluster.tree
    assert all(tree.pid(name) for name in ("actions", "rasa-1", "rasa-2", "web", "nginx"))
    status = tree.interrupt(signal.SIGTERM)
    assert status == 0
    leftovers = tree.leftovers(grace=5)  # a prefixer may still be writing the last lines
    assert not leftovers, [(p.pid, p.cmdline()) for p in leftovers]
    assert listened_ports(list(cluster.ports.values())) == []
    assert "received SIGTERM" in tree.output()
