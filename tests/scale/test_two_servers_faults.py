"""Faults in the production-like cluster: the person always gets an answer.

- catalogue database down: the actions answer with VDAB's contact; normal again once it is back;
- action server down: Rasa answers nothing by itself (RasaHQ/rasa#7630, #5588: the processor logs
  the failed action and carries on), so bot/channels.py sends a Dutch message with VDAB's
  contact (REST and socket.io); normal again once the action server is back;
- a Rasa server killed with kill -9 under load: nginx sends its messages to the other server, no
  message is lost; restarted, the server gets traffic and answers again.
"""
from __future__ import annotations

import asyncio
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from bot.channels import NO_ANSWER
from bot.rasa_api import decode
from tests.servers import (Transcript, bot_texts, check_conversations,
                           socketio_websocket_turns, tracker_events)

VDAB = "0800 30 700"
QUESTION = "Wat is telewerk?"


def _sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _normal_answer(messages) -> bool:
    return decode(messages).primary_measure == "telewerk"


def _report(capsys, title: str, text: str) -> None:
    with capsys.disabled():
        print(f"\n[{title}] {text}")


def test_catalogue_database_down_gives_vdabs_number_then_recovers(cluster, capsys):
    database = cluster.catalogue_db
    assert _normal_answer(cluster.say_at(cluster.nginx_url, _sender("db"), QUESTION))
    database.make_unavailable()
    try:
        answers = [cluster.say_at(url, _sender("db-down"), QUESTION) for url in cluster.rasa_urls]
    finally:
        database.make_available()
    for messages in answers:
        text = bot_texts(messages)
        assert VDAB in text and "technisch probleem" in text, text
        assert decode(messages).out_of_scope
    deadline = time.monotonic() + 30
    while not _normal_answer(cluster.say_at(cluster.nginx_url, _sender("db-back"), QUESTION)):
        assert time.monotonic() < deadline, "no normal answer after the database came back"
        time.sleep(1)
    _report(capsys, "database down", "both servers answered with 0800 30 700; normal answers again after restore")


def test_action_server_down_gives_vdabs_number_then_recovers(cluster, capsys):
    cluster.stop_actions()
    try:
        sender = _sender("actions-down")
        messages = cluster.say_at(cluster.nginx_url, sender, QUESTION)
        assert bot_texts(messages) == NO_ANSWER and VDAB in NO_ANSWER
        # The conversation records the message, so staff see what the person saw.
        stored = tracker_events(cluster.tracker_db_url, [sender])[sender]
        assert [e.get("text") for e in stored if e.get("event") in ("user", "bot")] == [QUESTION, NO_ANSWER]
        # The same over socket.io (the chat page's channel), through nginx.
        turns = asyncio.run(socketio_websocket_turns(cluster.nginx_url, _sender("actions-down-sio"),
                                                     [QUESTION]))
        assert [m.get("text") for m in turns[0]] == [NO_ANSWER]
        # Every reply comes from the one answer path in the action server: a greeting too gets the
        # Dutch message with VDAB's number, never silence.
        assert bot_texts(cluster.say_at(cluster.nginx_url, _sender("actions-down"), "Hallo")) == NO_ANSWER
    finally:
        cluster.start_actions()
    assert _normal_answer(cluster.say_at(cluster.nginx_url, _sender("actions-back"), QUESTION))
    _report(capsys, "action server down", "REST and socket.io answered with 0800 30 700; normal again after restart")


def test_a_rasa_server_killed_under_load_is_bypassed_then_rejoins(cluster, capsys):
    conversations = 20
    script = ["Hallo", "Wat is Alle hens aan dek?", "Wat is het Vlaams opleidingsverlof?",
              "en wie komt daarvoor in aanmerking?", "Wat is een werkbaarheidscheque?",
              "Wat zijn opleidingscheques?", "hoeveel is dat?", "bedankt"]
    senders = [_sender(f"kill-{c:02d}") for c in range(conversations)]
    transcript = Transcript(senders)
    sent, failures = transcript.sent, transcript.failures
    answered = threading.Semaphore(0)
    log_start = len(cluster.access_log())

    def converse(c):
        for k in range(len(script)):
            transcript.say(cluster, cluster.nginx_url, senders[c], k, script[(c + k) % len(script)], 150)
            answered.release()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        futures = [pool.submit(converse, c) for c in range(conversations)]
        for _ in range(30):  # let the load build up, then kill server B mid-conversation
            answered.acquire(timeout=120)
        cluster.kill_rasa(1)
        killed_at = time.monotonic() - started
        for future in futures:
            future.result()
    elapsed = time.monotonic() - started
    lines = cluster.access_log()[log_start:]
    retried = sum(1 for line in lines if "/webhooks/rest/webhook" in line and
                  "upstream=" in line and ", " in line.split("upstream=")[1].split(" upstream_status")[0])
    errors = [line for line in lines if "/webhooks/rest/webhook" in line and '" 5' in line]
    report = check_conversations(tracker_events(cluster.tracker_db_url, senders),
                                 {s: [(t, None) for t, _ in turns] for s, turns in sent.items()})
    no_answer = sum(1 for turns in sent.values() for _, texts in turns if texts == [NO_ANSWER])
    _report(capsys, "kill -9", f"{report.summary()} killed_at={killed_at:.1f}s wall={elapsed:.1f}s "
                               f"failed_requests={len(failures)} http_5xx={len(errors)} "
                               f"retried_by_nginx={retried} no_answer_fallbacks={no_answer}")
    assert not failures, failures[:5]
    assert not errors, errors[:5]
    assert all(texts for turns in sent.values() for _, texts in turns), "a message got an empty answer"
    assert report.lost == 0 and report.unanswered == 0, report.problems[:10]
    # A message can only be stored twice if B saved it and died before answering, and nginx then
    # retried it on A; such a retry shows in the access log.
    assert report.duplicated <= retried, report.problems[:10]

    # Restart B: it answers directly and nginx sends it traffic again.
    restarted = time.monotonic()
    cluster.spawn_rasa(1)
    cluster.wait_rasa(1)
    restart_seconds = time.monotonic() - restarted
    assert _normal_answer(cluster.say_at(cluster.rasa_urls[1], _sender("rejoined"), QUESTION))
    before = len(cluster.access_log())
    deadline = time.monotonic() + 60
    hits = {}
    while time.monotonic() < deadline:
        for _ in range(4):
            assert _normal_answer(cluster.say_at(cluster.nginx_url, _sender("rejoined"), QUESTION))
        hits = cluster.upstream_hits(cluster.access_log()[before:])
        if hits[cluster.rasa_port_b] > 0:
            break
    _report(capsys, "kill -9", f"server B restarted in {restart_seconds:.0f}s; upstream hits after: {hits}")
    assert hits[cluster.rasa_port_b] > 0 and hits[cluster.rasa_port] > 0, hits
