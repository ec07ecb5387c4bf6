"""Conversations as the client saw them and as the tracker store holds them: the texts of a
turn, a thread-safe transcript, the stored events, and the comparison of the two."""
from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple


def bot_texts(messages: List[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages if m.get("text"))


def tracker_events(database_url: str, senders: List[str]) -> Dict[str, List[dict]]:
    """Every event of these senders, all sessions, in stored order, read from the SQL tracker
    store itself (table `events` of Rasa's SQLTrackerStore)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url, future=True)
    found: Dict[str, List[dict]] = {sender: [] for sender in senders}
    try:
        with engine.connect() as connection:
            for start in range(0, len(senders), 500):
                chunk = senders[start:start + 500]
                params = {f"s{i}": sender for i, sender in enumerate(chunk)}
                rows = connection.execute(text(
                    "SELECT sender_id, data FROM events WHERE sender_id IN ("
                    + ", ".join(f":s{i}" for i in range(len(chunk))) + ") ORDER BY id"), params)
                for sender, data in rows:
                    found[sender].append(json.loads(data))
    finally:
        engine.dispose()
    return found


def answer_texts(messages: List[dict]) -> List[str]:
    """The texts of one turn's bot messages as the REST channel returned them."""
    return [m["text"] for m in messages or [] if isinstance(m, dict) and m.get("text")]


class Transcript:
    """What each conversation sent and got back (answer texts, None for no answer), and the
    requests that failed; filled by several threads at once."""

    def __init__(self, senders) -> None:
        self.sent: Dict[str, List[Tuple[str, Optional[List[str]]]]] = {sender: [] for sender in senders}
        self.failures: List[str] = []
        self._lock = threading.Lock()

    def say(self, cluster, base_url: str, sender: str, index: int, text: str, timeout: float) -> None:
        try:
            answer = answer_texts(cluster.say_at(base_url, sender, text, timeout=timeout))
        except Exception as error:  # noqa: BLE001 - counted and reported
            with self._lock:
                self.failures.append(f"{sender} #{index}: {error!r}")
            answer = None
        with self._lock:
            self.sent[sender].append((text, answer))


@dataclass
class ConversationReport:
    """What the tracker store holds compared with what was sent and answered."""

    conversations: int = 0
    user_messages: int = 0
    bot_messages: int = 0
    events_checked: int = 0
    lost: int = 0
    duplicated: int = 0
    out_of_order: int = 0
    unanswered: int = 0
    answer_mismatches: int = 0
    problems: List[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"conversations={self.conversations} user_messages={self.user_messages} "
                f"bot_messages={self.bot_messages} events_checked={self.events_checked} "
                f"lost={self.lost} duplicated={self.duplicated} out_of_order={self.out_of_order} "
                f"unanswered={self.unanswered} answer_mismatches={self.answer_mismatches}")

    @property
    def perfect(self) -> bool:
        return not (self.lost or self.duplicated or self.out_of_order or self.unanswered
                    or self.answer_mismatches)


def check_conversations(events: Dict[str, List[dict]], sent: Dict[str, List[Tuple[str, Optional[List[str]]]]],
                        ordered: bool = True) -> ConversationReport:
    """Compare each sender's stored events with the (user text, answer texts or None) it sent:
    every user message exactly once (in order when `ordered`), each followed by at least one bot
    message, and the bot messages up to the next user message equal to the answer the client
    got (when known)."""
    report = ConversationReport()
    for sender, turns in sent.items():
        stored = events.get(sender, [])
        report.conversations += 1
        report.events_checked += len(stored)
        report.user_messages += len(turns)
        users = [i for i, event in enumerate(stored) if event.get("event") == "user"]
        stored_texts = [stored[i].get("text") for i in users]
        expected = [text for text, _ in turns]
        missing = Counter(expected) - Counter(stored_texts)
        extra = Counter(stored_texts) - Counter(expected)
        report.lost += sum(missing.values())
        report.duplicated += sum(extra.values())
        if missing or extra:
            report.problems.append(f"{sender}: missing {dict(missing)} extra {dict(extra)}")
        elif ordered and stored_texts != expected:
            report.out_of_order += 1
            report.problems.append(f"{sender}: order {stored_texts} != {expected}")
        answers = {text: answer for text, answer in turns}
        for k, index in enumerate(users):
            end = users[k + 1] if k + 1 < len(users) else len(stored)
            bots = [event for event in stored[index + 1:end] if event.get("event") == "bot"]
            report.bot_messages += len(bots)
            if not bots:
                report.unanswered += 1
                report.problems.append(f"{sender}: no bot message after {stored_texts[k]!r}")
                continue
            expected_answer = answers.get(stored_texts[k])
            got = [event.get("text") for event in bots if event.get("text")]
            if expected_answer is not None and got != expected_answer:
                report.answer_mismatches += 1
                report.problems.append(f"{sender}: after {stored_texts[k]!r} stored {got!r}, "
                                       f"client got {expected_answer!r}")
    return report
