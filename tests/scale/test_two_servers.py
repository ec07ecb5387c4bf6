"""Two Rasa servers behind nginx share the conversations: PostgreSQL tracker store, Redis lock store.

50 conversations x 10 messages run at the same time; each conversation's messages alternate
between server A and server B (addressed directly, so the alternation is certain). Afterwards
the tracker store must hold every user message exactly once, in order, each followed by the
bot messages the client got. Then messages of one conversation sent to both servers at the same
moment are serialised by the lock store, and nginx's round robin spreads conversations over both.
"""
from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.channels import NO_ANSWER
from tests.servers import Transcript, answer_texts, check_conversations, tracker_events

CONVERSATIONS = 50
MESSAGES = 10
# One conversation: greeting, questions about measures, follow-ups, thanks. Each conversation
# starts at another point of this list, so the servers see a mix at every moment.
SCRIPT = [
    "Hallo",
    "Wat is Alle hens aan dek?",
    "Wat is het Vlaams opleidingsverlof?",
    "en wie komt daarvoor in aanmerking?",
    "Wat is een werkbaarheidscheque?",
    "Bestaat de stagebonus nog?",
    "Wat zijn opleidingscheques?",
    "hoeveel is dat?",
    "Ik wil met iemand spreken",
    "bedankt",
]
TIMEOUT = 150.0


def _report(capsys, title: str, text: str) -> None:
    with capsys.disabled():
        print(f"\n[{title}] {text}")


def _run(cluster, conversations, route):
    """Send every conversation's messages in order (conversations in parallel); `route(c, k)`
    gives the base URL for message k of conversation c. Returns {sender: [(text, answer texts)]}
    and the failures."""
    transcript = Transcript(sender for sender, _ in conversations)

    def converse(index_and_conversation):
        c, (sender, messages) = index_and_conversation
        for k, text in enumerate(messages):
            transcript.say(cluster, route(c, k), sender, k, text, TIMEOUT)

    with ThreadPoolExecutor(max_workers=len(conversations)) as pool:
        list(pool.map(converse, enumerate(conversations)))
    return transcript.sent, transcript.failures


def _conversations(prefix: str, count: int, length: int):
    return [(f"{prefix}-{c:02d}-{uuid.uuid4().hex[:6]}",
             [SCRIPT[(c + k) % len(SCRIPT)] for k in range(length)]) for c in range(count)]


def test_fifty_conversations_alternating_between_two_servers_lose_nothing(cluster, capsys):
    conversations = _conversations("scale", CONVERSATIONS, MESSAGES)
    servers = cluster.rasa_urls
    started = time.monotonic()
    sent, failures = _run(cluster, conversations, lambda c, k: servers[(c + k) % 2])
    elapsed = time.monotonic() - started
    assert not failures, failures[:5]

    answers = [answer for turns in sent.values() for _, answer in turns]
    assert all(answers), "a message got no answer"
    assert not any(NO_ANSWER in texts for texts in answers), "the bot could not answer a message"
    report = check_conversations(tracker_events(cluster.tracker_db_url, list(sent)), sent)
    _report(capsys, "scale", f"{report.summary()} servers=2 wall={elapsed:.1f}s "
                             f"rate={len(answers) / elapsed:.1f} msg/s")
    assert report.conversations == CONVERSATIONS
    assert report.user_messages == CONVERSATIONS * MESSAGES
    assert report.perfect, report.problems[:10]


def test_simultaneous_messages_of_one_conversation_are_serialised(cluster, capsys):
    """Two messages of the same conversation at the same moment, one per server: the Redis lock
    store makes one wait, so each message is followed by its own answers, never interleaved."""
    pairs = [("Wat is telewerk?", "Wat is werkplekleren?"),
             ("Wat is een werkbaarheidscheque?", "Wat zijn de digibanken?")]
    senders = [f"lock-{i:02d}-{uuid.uuid4().hex[:6]}" for i in range(10)]
    sent = {sender: [] for sender in senders}
    lock = threading.Lock()

    def one(sender, text, server):
        answer = cluster.say_at(server, sender, text, timeout=TIMEOUT)
        with lock:
            sent[sender].append((text, answer_texts(answer)))

    for sender in senders:  # a stored conversation to start from
        sent[sender].append(("Hallo", answer_texts(cluster.say_at(cluster.rasa_urls[0], sender, "Hallo"))))
    with ThreadPoolExecutor(max_workers=2 * len(senders)) as pool:
        futures = []
        for i, sender in enumerate(senders):
            first, second = pairs[i % len(pairs)]
            futures.append(pool.submit(one, sender, first, cluster.rasa_urls[0]))
            futures.append(pool.submit(one, sender, second, cluster.rasa_urls[1]))
        for future in futures:
            future.result()
    report = check_conversations(tracker_events(cluster.tracker_db_url, senders), sent, ordered=False)
    _report(capsys, "lock", report.summary())
    assert report.user_messages == 3 * len(senders)
    assert report.perfect, report.problems[:10]


def test_nginx_round_robin_uses_both_servers_and_keeps_conversations_whole(cluster, capsys):
    conversations = _conversations("nginx", 20, 4)
    before = len(cluster.access_log())
    sent, failures = _run(cluster, conversations, lambda c, k: cluster.nginx_url)
    assert not failures, failures[:5]
    hits = cluster.upstream_hits(cluster.access_log()[before:])
    report = check_conversations(tracker_events(cluster.tracker_db_url, list(sent)), sent)
    _report(capsys, "nginx", f"{report.summary()} upstream_hits={hits}")
    assert sum(hits.values()) >= 80
    assert all(count >= 20 for count in hits.values()), hits
    assert report.perfect, report.problems[:10]


@pytest.mark.parametrize("path", ["/", "/webhooks/rest/"])
def test_nginx_serves_the_web_app_and_the_rest_channel(cluster, path):
    from tests.servers import http_raw

    status, body, _ = http_raw("GET", cluster.nginx_url + path)
    assert status == 200, body[:200]


def test_nginx_does_not_publish_rasas_http_api(cluster):
    from tests.servers import http_raw

    status, _, _ = http_raw("GET", f"{cluster.nginx_url}/conversations/x/tracker?token={cluster.rasa_token}")
    assert status == 404


def test_socketio_through_nginx_refuses_other_web_pages(cluster):
    import asyncio

    import websockets

    from tests.servers import socketio_websocket_turns

    turns = asyncio.run(socketio_websocket_turns(cluster.nginx_url, f"origin-{uuid.uuid4().hex[:8]}",
                                                 ["Hallo"], origin=cluster.nginx_url))
    assert turns[0] and turns[0][0].get("text")
    with pytest.raises(websockets.exceptions.InvalidStatusCode) as refused:
        asyncio.run(socketio_websocket_turns(cluster.nginx_url, "evil", ["Hallo"], origin="http://evil.example"))
    assert refused.value.status_code == 403


def test_the_procfile_processes_listen_on_loopback_only(cluster):
    from tests.servers import listening_addresses

    for port in (cluster.actions_port, *cluster.rasa_ports, cluster.web_port, cluster.nginx_port):
        assert listening_addresses(port) == ["127.0.0.1"], (port, listening_addresses(port))


def test_run_cluster_renders_a_valid_nginx_config():
    import subprocess

    from tests.servers import REPO

    result = subprocess.run([str(REPO / "deploy" / "run-cluster.sh"), "--check"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_limits_the_body_size_with_a_dutch_json_answer(cluster):
    import json

    from bot.privacy import TOO_LONG, max_message_chars
    from tests.servers import http_raw

    url = f"{cluster.nginx_url}/webhooks/rest/webhook"
    body = json.dumps({"sender": "size-test", "message": "a" * 100_000}).encode()
    status, raw, _ = http_raw("POST", url, body)  # under the limit: the channel refuses politely
    assert status == 200 and json.loads(raw)[0]["text"] == TOO_LONG.format(limit=max_message_chars())
    body = json.dumps({"sender": "size-test", "message": "a" * 300_000}).encode()
    status, raw, _ = http_raw("POST", url, body)
    assert status == 413 and "te groot" in json.loads(raw)["error"]
