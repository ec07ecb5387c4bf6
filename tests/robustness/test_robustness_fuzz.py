"""Fuzz the REST channel of one running Rasa server with 5,000 generated messages (hypothesis).

Hypothesis generates the messages (derandomized, so CI runs the same 5,000 every time); each
one is handed to a small pool of senders that posts it at once. The messages of one
conversation go through one worker, in order; conversations run in parallel. Afterwards:
- no response was a 5xx (or anything but 200 with at least one answer),
- every conversation's tracker holds exactly the user messages that were sent and accepted,
  as bot.privacy.check_message() cleaned and redacted them: nothing lost, nothing stored half,
- the server still answers a normal question.
BOT_FUZZ_EXAMPLES overrides the number of messages for a quick local run.
"""
from __future__ import annotations

import json
import os
import queue
import threading
import time
import uuid
from collections import Counter, defaultdict

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.privacy import check_message, max_message_chars
from tests.servers import bot_texts, http_raw, tracker_events

CUSTOM_ACTIONS = {"action_answer_measure", "action_fallback", "action_handoff", "action_recommend",
                  "action_ask_doelgroep", "action_ask_interesse", "validate_guidance_form"}
EXAMPLES = int(os.environ.get("BOT_FUZZ_EXAMPLES", "5000"))
SENDERS = 1000  # conversations; each gets about five messages
WORKERS = 6
TIMEOUT = 120.0

# What people type, as the base of the mutated messages: questions about measures (custom
# actions on the action server) and small talk / out-of-scope questions (answered by Rasa alone).
# Arbitrary text mostly ends in the fallback action, so every kind reaches the action server.
QUESTIONS = ["Wat is telewerk?", "hoeveel is dat?", "wat zijn opleidingscheques",
             "Hallo", "bedankt", "ben je een robot?", "tot ziens", "wat is het weer morgen in Gent?",
             "vind jij dat een goed plan?", "hoeveel bedraagt mijn RVA uitkering?", "wat kan je?"]
FRAGMENTS = ["<script>alert(1)</script>", "'; DROP TABLE events; --", "\" OR 1=1 --", "{{7*7}}",
             "${jndi:ldap://x}", "/restart", "/inform{\"doelgroep\": \"werkgever\"}", "/greet{",
             "&lt;b&gt;", "\\u0000", "%00", "\r\n\r\n", "😀👩‍💻🇧🇪", "\u202e\u2066", "ﷺ", "Z̴̢͓a̵l̷g̶o"]
PERSONAL = ["85.07.30-033.28", "85073003328", "jan.peeters@example.com", "0471 23 45 67",
            "+32 471 23 45 67", "BE68 5390 0754 7034", "09/123.45.67", "0800 30 700"]

any_text = st.text(max_size=80)
raw_codepoints = st.text(st.characters(blacklist_categories=()), max_size=30)  # surrogates, C0/C1
blank = st.text(st.sampled_from(" \t\n\r\x00\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200b"), max_size=12)
dutch = st.builds(lambda q, noise, cut: (q + noise)[:cut] if cut else q + noise,
                  st.sampled_from(QUESTIONS), st.text(max_size=12), st.integers(0, 40))
hostile = st.builds(lambda parts, sep: sep.join(parts),
                    st.lists(st.sampled_from(FRAGMENTS + QUESTIONS), min_size=1, max_size=4),
                    st.sampled_from([" ", "", "\n", " en "]))
personal = st.builds(lambda q, p: f"{q} {p}", st.sampled_from(QUESTIONS), st.sampled_from(PERSONAL))
around_limit = st.builds(lambda n, char: (char * n)[:n],
                         st.one_of(st.integers(max_message_chars() - 3, max_message_chars() + 3),
                                   st.integers(4 * max_message_chars(), 6 * max_message_chars())),
                         st.sampled_from(["a", "é", "😀", "a b ", "telewerk "]))
MESSAGE = st.one_of(any_text, raw_codepoints, blank, dutch, hostile, personal, around_limit)


class Senders:
    """WORKERS threads posting messages; a conversation always goes through the same worker."""

    def __init__(self, base_url: str, prefix: str):
        self.url = f"{base_url}/webhooks/rest/webhook"
        self.prefix = prefix
        self.queues = [queue.Queue() for _ in range(WORKERS)]
        self.sent = defaultdict(list)  # sender -> messages, in order
        self.results = []  # (message, status, body)
        self.lock = threading.Lock()
        self.count = 0
        self.threads = [threading.Thread(target=self._work, args=(q,), daemon=True) for q in self.queues]
        for thread in self.threads:
            thread.start()

    def submit(self, message: str) -> None:
        index = self.count % SENDERS
        self.count += 1
        sender = f"{self.prefix}-{index:04d}"
        self.sent[sender].append(message)
        self.queues[index % WORKERS].put((sender, message))

    def _work(self, jobs: queue.Queue) -> None:
        while True:
            job = jobs.get()
            if job is None:
                return
            sender, message = job
            body = json.dumps({"sender": sender, "message": message}).encode()  # ensure_ascii: lone surrogates too
            try:
                status, raw, _ = http_raw("POST", self.url, body, timeout=TIMEOUT)
            except Exception as error:  # noqa: BLE001 - reported as a failure
                status, raw = -1, repr(error).encode()
            with self.lock:
                self.results.append((message, status, raw))

    def finish(self, timeout: float) -> None:
        for jobs in self.queues:
            jobs.put(None)
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(1.0, deadline - time.monotonic()))
        assert not any(thread.is_alive() for thread in self.threads), "fuzz senders did not finish in time"


def test_fuzzed_messages_never_break_the_rest_channel(stack, capsys):
    senders = Senders(stack.rasa_url, f"fuzz-{uuid.uuid4().hex[:8]}")
    started = time.monotonic()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(MESSAGE)
    def generate(message):
        senders.submit(message)

    generate()
    senders.finish(timeout=900)
    elapsed = time.monotonic() - started

    statuses = Counter(status for _, status, _ in senders.results)
    server_errors = [(m, s, raw[:200]) for m, s, raw in senders.results if s >= 500 or s < 0]
    not_ok = [(m[:60], s, raw[:200]) for m, s, raw in senders.results if s != 200]
    unanswered = [m[:60] for m, s, raw in senders.results if s == 200 and not bot_texts(json.loads(raw))]

    # The tracker store holds exactly what the channel accepted, in order.
    events = tracker_events(stack.tracker_db_url, list(senders.sent))
    mismatched = []
    stored_messages = 0
    for sender, messages in senders.sent.items():
        expected = [t for t in (check_message(m).text for m in messages) if t is not None]
        stored = [e.get("text") for e in events[sender] if e.get("event") == "user"]
        stored_messages += len(stored)
        if stored != expected:
            mismatched.append((sender, expected, stored))
    refused = sum(1 for m, s, raw in senders.results if not check_message(m).accepted)
    custom_actions = Counter(e.get("name") for evts in events.values() for e in evts
                             if e.get("event") == "action" and e.get("name") in CUSTOM_ACTIONS)

    with capsys.disabled():
        print(f"\n[fuzz] cases={senders.count} conversations={len(senders.sent)} statuses={dict(statuses)} "
              f"5xx={len(server_errors)} refused_politely={refused} stored_user_messages={stored_messages} "
              f"tracker_mismatches={len(mismatched)} unanswered={len(unanswered)} "
              f"custom_actions_run={dict(custom_actions)} "
              f"wall={elapsed:.0f}s ({elapsed / max(1, senders.count) * 1000:.0f} ms/message)")

    assert senders.count >= EXAMPLES
    assert len(senders.results) == senders.count
    assert not server_errors, server_errors[:5]
    assert not not_ok, not_ok[:5]
    assert not unanswered, unanswered[:5]
    assert not mismatched, mismatched[:3]
    # and the server still answers a normal question
    assert "telewerk" in bot_texts(stack.say(f"fuzz-after-{uuid.uuid4().hex[:6]}", "Wat is telewerk?")).lower()
