"""Messages through the REST channel with the bot's one Rasa client (bot.rasa_api): sequential
latency per scenario, a closed-loop load of N concurrent users, and hostile input (random
words, random unicode, long strings)."""
from __future__ import annotations

import random
import string
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

from bench.measure import latency_summary
from bot.rasa_api import RasaClient, RasaError

CATALOGUE = "Wat is het Vlaams opleidingsverlof?"
FOLLOWUP = "en wie komt daarvoor in aanmerking?"
PLAIN = "hallo"
CONVERSATION = (CATALOGUE, FOLLOWUP, PLAIN)
SCENARIOS = ("catalogue", "followup", "plain")
EXPECTED_MEASURE = "opleidingsverlof-e-leren"  # what CATALOGUE and FOLLOWUP are about
HOSTILE_SHARE = 0.1
LONG_MESSAGE = 1000  # characters
# Scripts a person might paste: Latin with accents, Greek, Cyrillic, CJK, emoji.
UNICODE_RANGES = ((0x21, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x4E00, 0x9FFF),
                  (0x1F300, 0x1FAFF))
Text = Callable[[int, random.Random], str]  # (the user's message number, its random source) -> text


@dataclass
class Reply:
    ok: bool
    ms: float
    measure: Optional[str] = None
    aspect: Optional[str] = None
    error: str = ""


def say(client: RasaClient, sender: str, text: str) -> Reply:
    started = time.perf_counter()
    try:
        turn = client.say(sender, text)
    except RasaError as error:
        return Reply(False, (time.perf_counter() - started) * 1000, error=type(error).__name__)
    ms = (time.perf_counter() - started) * 1000
    answered = bool(turn.texts or turn.buttons or turn.data)
    return Reply(answered, ms, turn.primary_measure, turn.aspect, "" if answered else "empty reply")


def first_answer(url: str) -> Reply:
    with RasaClient(url, timeout=120) as client:
        return say(client, f"first-{uuid.uuid4().hex[:8]}", PLAIN)


# ----------------------------------------------------------------------------- hostile input
def random_words(rng: random.Random, chars: int) -> str:
    words: List[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append("".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 10))))
    return " ".join(words)[:chars].strip()


def random_unicode(rng: random.Random, chars: int = 200) -> str:
    return "".join(" " if rng.random() < 0.15 else chr(rng.randint(*rng.choice(UNICODE_RANGES)))
                   for _ in range(chars))


def hostile(rng: random.Random) -> str:
    """Twenty-odd random words, random unicode, or one unbroken 1000-character string."""
    kind = rng.randrange(3)
    if kind == 0:
        return random_words(rng, 140)
    if kind == 1:
        return random_unicode(rng)
    return "".join(rng.choices(string.ascii_letters + string.digits, k=LONG_MESSAGE))


def conversation(k: int, rng: random.Random) -> str:
    return CONVERSATION[k % len(CONVERSATION)]


def mixed(k: int, rng: random.Random) -> str:
    return hostile(rng) if rng.random() < HOSTILE_SHARE else conversation(k, rng)


def hostile_only(k: int, rng: random.Random) -> str:
    return hostile(rng)


# ----------------------------------------------------------------------------- sequential
def sequential(url: str, count: int, warmup: int) -> Dict:
    """`count` rounds of: the catalogue question opening a conversation, the follow-up in it,
    and "hallo" opening another; every message timed. Interleaved, so a noisy neighbour hits
    every scenario alike; conversations stay short."""
    prefix = f"seq-{uuid.uuid4().hex[:8]}"
    replies: Dict[str, List[Reply]] = {s: [] for s in SCENARIOS}
    with RasaClient(url, timeout=60) as client:
        for round_ in range(warmup + count):
            turn = (say(client, f"{prefix}-c{round_}", CATALOGUE), say(client, f"{prefix}-c{round_}", FOLLOWUP),
                    say(client, f"{prefix}-p{round_}", PLAIN))
            if round_ >= warmup:
                for scenario, reply in zip(SCENARIOS, turn):
                    replies[scenario].append(reply)

    def share(scenario: str, check) -> Optional[float]:
        done = replies[scenario]
        return 100.0 * sum(1 for r in done if r.ok and check(r)) / len(done) if done else None

    return {"summary": {s: latency_summary([r.ms for r in done if r.ok]) for s, done in replies.items()},
            "errors": sum(1 for done in replies.values() for r in done if not r.ok),
            "intended": {"catalogue": share("catalogue", lambda r: r.measure == EXPECTED_MEASURE),
                         "followup": share("followup", lambda r: (r.measure, r.aspect)
                                           == (EXPECTED_MEASURE, "eligibility"))}}


def hostile_latency(url: str, count: int, warmup: int = 3) -> Dict:
    """A 1000-character message of random words against the catalogue question, each in a
    conversation of its own, interleaved; medians and their ratio."""
    rng = random.Random(16)
    prefix = f"long-{uuid.uuid4().hex[:8]}"
    times: Dict[str, List[float]] = {"normal": [], "long": []}
    with RasaClient(url, timeout=120) as client:
        for n in range(warmup + count):
            normal = say(client, f"{prefix}-n{n}", CATALOGUE)
            long = say(client, f"{prefix}-l{n}", random_words(rng, LONG_MESSAGE))
            if n >= warmup:
                times["normal"] += [normal.ms] if normal.ok else []
                times["long"] += [long.ms] if long.ok else []
    summary = {name: latency_summary(values) for name, values in times.items()}
    normal, long = summary["normal"]["p50"], summary["long"]["p50"]
    return {**summary, "ratio": long / normal if normal and long else None}


# ----------------------------------------------------------------------------- load
def load(url: str, users: int, seconds: Optional[float] = None, total: Optional[int] = None,
         text: Text = conversation, timeout: float = 60.0) -> Dict:
    """`users` senders, each sending its next message as soon as the last one is answered, in
    conversations of three messages, until `seconds` have passed or `total` messages were
    sent. Throughput counts the answers within the time window."""
    prefix = f"load-{uuid.uuid4().hex[:8]}"
    lock = threading.Lock()
    latencies: List[float] = []
    errors: Counter = Counter()
    counts = {"sent": 0, "in_window": 0}
    started = time.monotonic()
    deadline = started + seconds if seconds else float("inf")

    def user(number: int) -> None:
        rng = random.Random(number)
        k = 0
        while True:
            with lock:
                if time.monotonic() >= deadline or (total is not None and counts["sent"] >= total):
                    return
                counts["sent"] += 1
            reply = say(client, f"{prefix}-u{number}-c{k // len(CONVERSATION)}", text(k, rng))
            with lock:
                if reply.ok:
                    latencies.append(reply.ms)
                    counts["in_window"] += time.monotonic() <= deadline
                else:
                    errors[reply.error] += 1
            k += 1

    with RasaClient(url, timeout=timeout) as client, ThreadPoolExecutor(users) as pool:
        list(pool.map(user, range(users)))
    elapsed = time.monotonic() - started
    return {"users": users, "sent": counts["sent"], "ok": len(latencies), "errors": sum(errors.values()),
            "error_kinds": dict(errors), "elapsed_s": elapsed,
            "throughput": counts["in_window"] / (seconds or elapsed), **latency_summary(latencies)}
