"""Messages through the REST channel: sequential latency per scenario and a closed-loop load test
with N concurrent users (aiohttp, loopback only, every loop bounded by a deadline). Replies are
decoded with bot.rasa_api.decode, the one decoder."""
from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp

from bot.bench.stats import latency_summary
from bot.rasa_api import RasaClient, RasaError, decode

CATALOGUE = "Wat is het Vlaams opleidingsverlof?"
FOLLOWUP = "en wie komt daarvoor in aanmerking?"
PLAIN = "hallo"
CONVERSATION: Tuple[str, ...] = (CATALOGUE, FOLLOWUP, PLAIN)
SCENARIOS = ("catalogue", "followup", "plain")


@dataclass
class Reply:
    ok: bool
    ms: float
    measure: Optional[str] = None
    aspect: Optional[str] = None
    error: str = ""


async def say(session: aiohttp.ClientSession, base_url: str, sender: str, text: str,
              timeout: float = 30.0) -> Reply:
    started = time.perf_counter()
    try:
        async with session.post(f"{base_url}/webhooks/rest/webhook",
                                json={"sender": sender, "message": text},
                                timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            body = await response.json(content_type=None)
            ms = (time.perf_counter() - started) * 1000
            if response.status != 200 or not isinstance(body, list) or not body:
                return Reply(False, ms, error=f"HTTP {response.status}: {str(body)[:100]}")
            turn = decode(body)
            return Reply(True, ms, turn.primary_measure, turn.aspect)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        return Reply(False, (time.perf_counter() - started) * 1000, error=type(error).__name__)


@dataclass
class SequentialResult:
    latencies: Dict[str, List[float]] = field(default_factory=lambda: {s: [] for s in SCENARIOS})
    replies: Dict[str, List[Reply]] = field(default_factory=lambda: {s: [] for s in SCENARIOS})
    errors: int = 0

    def summary(self) -> Dict[str, dict]:
        return {s: latency_summary(v) for s, v in self.latencies.items()}

    def intended(self, expected_measure: str) -> Dict[str, float]:
        """Share of replies that did what the scenario means: the catalogue question and the
        follow-up answer about `expected_measure` (the follow-up with aspect eligibility)."""
        def share(replies: List[Reply], check) -> float:
            return sum(1 for r in replies if r.ok and check(r)) / len(replies) if replies else 0.0

        return {
            "catalogue": share(self.replies["catalogue"], lambda r: r.measure == expected_measure),
            "followup": share(self.replies["followup"],
                              lambda r: r.measure == expected_measure and r.aspect == "eligibility"),
            "plain": share(self.replies["plain"], lambda r: r.ok),
        }


async def _sequential(base_url: str, count: int, warmup: int, prefix: str) -> SequentialResult:
    """`count` rounds of: the catalogue question opening a new conversation, the follow-up in that
    conversation, and "hallo" opening another new conversation; every message timed. Interleaved,
    so a noisy neighbour hits every scenario alike; conversations stay short (trackers grow
    with every turn and slow a server down)."""
    result = SequentialResult()
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(connector=connector) as session:
        for round_ in range(warmup + count):
            sender = f"{prefix}-c{round_}"
            replies = {
                "catalogue": await say(session, base_url, sender, CATALOGUE),
                "followup": await say(session, base_url, sender, FOLLOWUP),
                "plain": await say(session, base_url, f"{prefix}-p{round_}", PLAIN),
            }
            if round_ >= warmup:
                for scenario, reply in replies.items():
                    result.replies[scenario].append(reply)
                    if reply.ok:
                        result.latencies[scenario].append(reply.ms)
                    else:
                        result.errors += 1
    return result


def sequential(base_url: str, count: int = 200, warmup: int = 10,
               prefix: Optional[str] = None) -> SequentialResult:
    return asyncio.run(_sequential(base_url, count, warmup, prefix or f"seq-{uuid.uuid4().hex[:8]}"))


@dataclass
class LoadResult:
    users: int
    duration: float
    elapsed: float
    ok: int
    errors: int
    latencies: List[float]
    error_kinds: Dict[str, int]
    ok_in_window: int = 0

    @property
    def throughput(self) -> float:
        """Answers completed within the `duration` window, per second (the in-flight tail after
        the window is waited for and counted in the latencies, not in the throughput)."""
        return self.ok_in_window / self.duration if self.duration else 0.0

    def summary(self) -> dict:
        return {"users": self.users, "duration_s": self.duration, "elapsed_s": self.elapsed,
                "ok": self.ok, "ok_in_window": self.ok_in_window, "errors": self.errors,
                "throughput": self.throughput,
                "error_kinds": self.error_kinds, **latency_summary(self.latencies)}


async def _load(base_url: str, users: int, duration: float, timeout: float, prefix: str,
                conversation: Sequence[str]) -> LoadResult:
    latencies: List[float] = []
    errors: Dict[str, int] = {}
    last_end = [0.0]
    in_window = [0]
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        deadline = started + duration

        async def user(number: int) -> None:
            conversation_no = 0
            while time.monotonic() < deadline:
                sender = f"{prefix}-u{number}-c{conversation_no}"
                for text in conversation:
                    if time.monotonic() >= deadline:
                        break
                    reply = await say(session, base_url, sender, text, timeout)
                    now = time.monotonic()
                    last_end[0] = max(last_end[0], now)
                    if reply.ok and now <= deadline:
                        in_window[0] += 1
                    if reply.ok:
                        latencies.append(reply.ms)
                    else:
                        errors[reply.error] = errors.get(reply.error, 0) + 1
                conversation_no += 1

        await asyncio.gather(*(user(i) for i in range(users)))
    elapsed = max(last_end[0], started + 1e-9) - started
    return LoadResult(users, duration, elapsed, len(latencies), sum(errors.values()), latencies, errors,
                      in_window[0])


def load(base_url: str, users: int = 20, duration: float = 30.0, timeout: float = 30.0,
         prefix: Optional[str] = None, conversation: Sequence[str] = CONVERSATION) -> LoadResult:
    """`users` senders, each looping over short conversations (catalogue question, follow-up,
    "hallo") until `duration` seconds have passed; throughput = answered messages / elapsed."""
    return asyncio.run(_load(base_url, users, duration, timeout,
                             prefix or f"load-{uuid.uuid4().hex[:8]}", conversation))


def first_answer(base_url: str, timeout: float = 60.0) -> Reply:
    started = time.perf_counter()
    with RasaClient(base_url, timeout=timeout) as rasa:
        try:
            turn = rasa.say(f"first-{uuid.uuid4().hex[:8]}", PLAIN)
        except RasaError as error:
            return Reply(False, (time.perf_counter() - started) * 1000, error=type(error).__name__)
    ms = (time.perf_counter() - started) * 1000
    return Reply(bool(turn.texts or turn.data), ms, turn.primary_measure, turn.aspect,
                 "" if turn.texts or turn.data else "empty reply")
