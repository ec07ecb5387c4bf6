"""`make run` under supervisord (deploy/supervisord.conf): the real process tree, started with
`make -o setup run` on test ports, a temporary tracker store, catalogue and run directory. Each
server is killed with kill -9 while four conversations talk to the REST channel; supervisord starts
it again while the others keep serving, and no message is lost. Ctrl-C stops everything.

"Every message sent during the gap gets a Dutch reply" means here:
- action server down: Rasa answers every message itself, with a normal answer or the channel's
  Dutch "Sorry ... 0800 30 700" (bot.channels.NO_ANSWER);
- web app down: the REST channel does not go through it, every message gets its normal answer;
- Rasa server down: in this single-server tree nothing answers the REST channel: the connection is
  refused, so the message was not delivered. The chat page then shows its own Dutch notice ("Even
  geduld: de chatbot start opnieuw op ...") and sends the message again once Rasa is back; the
  client here does the same. Every such message gets its answer once Rasa is back and is stored
  once. (In the cluster nginx sends it to the other server: tests/scale.)
"""
from __future__ import annotations

import secrets
import signal
import time
from dataclasses import dataclass
from typing import Dict, List

import pytest

from bot.channels import NO_ANSWER
from tests.servers import MODEL, check_conversations, free_port, http, tracker_events
from tests.supervision import (Load, Message, SupervisedTree, differing_answers, listened_ports,
                               poll_until_back, summary)

ACTIONS_BACK_WITHIN = 30
RASA_BACK_WITHIN = 120
WEB_BACK_WITHIN = 30
PROGRAMS = ("actions", "rasa", "web")


@dataclass
class MakeRun:
    tree: SupervisedTree
    ports: Dict[str, int]
    token: str
    tracker_db: str

    def url(self, port: str) -> str:
        return f"http://127.0.0.1:{self.ports[port]}"

    def up(self, program: str) -> bool:
        if program == "actions":
            return http("GET", f"{self.url('ACTIONS_PORT')}/health")[0] == 200
        if program == "web":
            return http("GET", f"{self.url('WEB_PORT')}/healthz")[0] == 200
        return bool(http("GET", f"{self.url('RASA_PORT')}/status?token={self.token}")[1].get("model_file"))


@dataclass
class Gap:
    killed: float  # time.monotonic() of the kill
    back: float  # seconds until the program answered again
    messages: List[Message]
    failures: List[str]  # checks of the other servers that failed meanwhile

    @property
    def during(self) -> List[Message]:
        return [m for m in self.messages if self.killed <= m.sent <= self.killed + self.back]

    @property
    def after(self) -> List[Message]:
        return [m for m in self.messages if m.sent > self.killed + self.back]


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make setup` first")
    from bot.catalogue.db import get_engine
    from bot.catalogue.loader import load_catalogue
    from bot.settings import catalogue_dir

    workdir = tmp_path_factory.mktemp("make-run")
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
    catalogue = f"sqlite:///{workdir / 'bot.db'}"
    load_catalogue(get_engine(catalogue), catalogue_dir())
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{ports["ACTIONS_PORT"]}/webhook"\n'
        f"tracker_store:\n  type: bot.tracker_store.CoreSQLTrackerStore\n  dialect: sqlite\n"
        f"  db: {workdir / 'tracker.db'}\n")
    token = secrets.token_hex(8)
    env = {**{name: str(port) for name, port in ports.items()},
           "RASA_ENDPOINTS": str(endpoints), "BOT_DATABASE_URL": catalogue,
           "BOT_RASA_URL": f"http://127.0.0.1:{ports['RASA_PORT']}",
           "BOT_ALLOWED_ORIGIN": f"http://127.0.0.1:{ports['WEB_PORT']}", "PUBLIC_URL": "",
           "RASA_TOKEN": token, "BOT_STAFF_TOKEN": secrets.token_hex(8),
           "BOT_RUN_DIR": str(workdir / "run")}
    # `-o setup`: the tree `make run` starts, without rebuilding anything first.
    tree = SupervisedTree(["make", "--no-print-directory", "-o", "setup", "run"], env,
                          workdir / "output.log")
    tree.start()
    try:
        deadline = time.monotonic() + 240
        while "De chatbot is klaar" not in tree.output():
            assert tree.running(), f"make run stopped:\n{tree.output()[-4000:]}"
            assert time.monotonic() < deadline, f"no ready line:\n{tree.output()[-4000:]}"
            time.sleep(0.5)
        yield MakeRun(tree, ports, token, f"sqlite:///{workdir / 'tracker.db'}")
    except Exception:
        print(tree.output()[-6000:])
        raise
    finally:
        tree.stop()


def _kill_under_load(bot: MakeRun, program: str, back_within: float, resend: bool = False) -> Gap:
    """kill -9 `program` while four conversations talk to Rasa; asserts it is back in time, that
    no other server was restarted and that no message is lost."""
    tree, others = bot.tree, [name for name in PROGRAMS if name != program]
    pids = {name: tree.pid(name) for name in PROGRAMS}
    with Load(bot.url("RASA_PORT"), conversations=4, resend=resend) as load:
        load.wait_answered(2, after=0)
        killed = time.monotonic()
        tree.kill9(program)
        back, failures = poll_until_back(
            tree, program, pids[program], lambda: bot.up(program),
            {name: (lambda name=name: bot.up(name)) for name in others}, timeout=back_within + 30)
        load.wait_answered(2, after=killed + back)
    gap = Gap(killed, back, load.messages, failures)
    events = tracker_events(bot.tracker_db, load.senders)
    report = check_conversations(events, load.sent_by_sender())
    differing = differing_answers(events, load.sent_by_sender())
    print(f"\n[kill -9 {program}] back after {back:.1f} s; all: {summary(gap.messages)}; "
          f"sent during the gap: {summary(gap.during)}; lost={report.lost} duplicated={report.duplicated} "
          f"unanswered={report.unanswered} differing_answers={len(differing)}")
    assert back <= back_within, f"{program} back after {back:.0f} s"
    assert {name: tree.pid(name) for name in others} == {name: pids[name] for name in others}, \
        "another server was restarted"
    assert all(m.texts for m in gap.messages), [(m.text, m.error) for m in gap.messages if not m.texts][:5]
    assert report.lost == 0 and report.unanswered == 0, report.problems[:5]
    assert not differing, differing[:5]
    assert report.duplicated <= sum(1 for m in gap.messages if m.cut), report.problems[:5]
    return gap


def test_a_killed_action_server_comes_back_while_rasa_answers_in_dutch(bot):
    gap = _kill_under_load(bot, "actions", ACTIONS_BACK_WITHIN)
    assert not gap.failures, gap.failures  # Rasa and the page kept serving
    assert not [m for m in gap.messages if m.attempts > 1], "Rasa refused a message"
    # Rasa itself answered each message of the gap: normally or with the Dutch fallback.
    assert all(m.texts == [NO_ANSWER] or NO_ANSWER not in m.texts for m in gap.during)
    assert NO_ANSWER.startswith("Sorry") and "0800 30 700" in NO_ANSWER
    assert not [m for m in gap.after if m.texts == [NO_ANSWER]], "no normal answers once it was back"


def test_a_killed_rasa_server_comes_back_and_no_message_is_lost(bot):
    gap = _kill_under_load(bot, "rasa", RASA_BACK_WITHIN, resend=True)
    assert not gap.failures, gap.failures  # the action server and the page kept serving
    # Refused while Rasa was down, sent again and answered once it was back.
    assert gap.during and all(m.texts for m in gap.during)
    assert any(m.attempts > 1 for m in gap.during)
    assert not [m for m in gap.after if m.texts == [NO_ANSWER]]


def test_a_killed_web_app_comes_back_while_the_chat_keeps_answering(bot):
    gap = _kill_under_load(bot, "web", WEB_BACK_WITHIN)
    assert not gap.failures, gap.failures
    assert not [m for m in gap.messages if m.attempts > 1], "Rasa refused a message"
    assert not [m for m in gap.messages if m.texts == [NO_ANSWER]], "the action server failed"


def test_the_ready_line_comes_once_and_is_not_restarted(bot):
    assert bot.tree.output().count("De chatbot is klaar. Open http://localhost:") == 1
    assert bot.tree.state("ready") == "EXITED"
    log = (bot.tree.run_dir / "supervisord.log").read_text()
    assert log.count("spawned: 'ready'") == 1, log


def test_ctrl_c_stops_every_process(bot):
    tree = bot.tree
    assert all(tree.pid(name) for name in PROGRAMS)
    status = tree.interrupt(signal.SIGINT)
    leftovers = tree.leftovers(grace=5)  # a prefixer may still be writing the last lines
    assert not leftovers, [(p.pid, p.cmdline()) for p in leftovers]
    assert listened_ports(list(bot.ports.values())) == []
    assert "received SIGINT" in tree.output()
    print(f"\n[Ctrl-C] make exited with {status}; nothing left of the {len(tree.groups)} program "
          f"process groups seen")
