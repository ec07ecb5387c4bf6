"""The supervised process trees of `make run` and deploy/run-cluster.sh for the supervision tests:
started on test ports in their own process group (as a terminal runs them), their programs' pids
through supervisorctl, kill -9, Ctrl-C, and a small load of concurrent REST conversations that
records what every message got back and when."""
from __future__ import annotations

from http.client import HTTPException
import itertools
import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Set

import psutil

from bot.channels import NO_ANSWER
from tests.servers import REPO, VENV_BIN, http, listening_addresses

SCRIPT = ["Hallo", "Wat is telewerk?", "Wat is het Vlaams opleidingsverlof?",
          "en wie komt daarvoor in aanmerking?", "Wat zijn opleidingscheques?", "hoeveel is dat?",
          "Wat is een werkbaarheidscheque?", "bedankt"]


class SupervisedTree:
    """One foreground command that runs supervisord (make run, deploy/run-cluster.sh) with `env`;
    BOT_RUN_DIR in `env` is where supervisord puts its control socket."""

    def __init__(self, command: List[str], env: Dict[str, str], output: Path) -> None:
        self.command = command
        self.env = {**os.environ, **env}
        self.run_dir = Path(env["BOT_RUN_DIR"])
        self.output_path = output
        self.process: Optional[subprocess.Popen] = None
        # every program pid seen: supervisord makes each program the leader of its own group
        self.groups: Set[int] = set()
        self.started = 0.0  # time.time() of start(), to tell our processes from later ones

    def start(self) -> None:
        self.started = time.time() - 1
        # Append mode: supervisord writes the programs' output through its own /dev/stdout.
        with open(self.output_path, "ab") as output:
            self.process = subprocess.Popen(self.command, cwd=REPO, env=self.env, stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ctl(self, *args: str) -> str:
        result = subprocess.run([str(VENV_BIN / "supervisorctl"), "-s",
                                 f"unix://{self.run_dir / 'supervisor.sock'}", *args],
                                capture_output=True, text=True, timeout=30)
        return result.stdout.strip()

    def pid(self, program: str) -> int:
        """The pid of a running program (0 when it is not running)."""
        text = self.ctl("pid", f"bot:{program}")
        pid = int(text) if text.isdigit() else 0
        if pid:
            self.groups.add(pid)
        return pid

    def state(self, program: str) -> str:
        fields = self.ctl("status", f"bot:{program}").split()
        return fields[1] if len(fields) > 1 else ""

    def kill9(self, program: str) -> int:
        pid = self.pid(program)
        assert pid, f"{program} is not running"
        os.kill(pid, signal.SIGKILL)
        return pid

    def output(self) -> str:
        return self.output_path.read_text(errors="replace") if self.output_path.exists() else ""

    def interrupt(self, sig: int = signal.SIGINT, timeout: float = 90) -> int:
        """Ctrl-C (SIGINT to the foreground process group), or another signal; the exit status."""
        assert self.process is not None
        os.killpg(self.process.pid, sig)
        return self.process.wait(timeout=timeout)

    def leftovers(self, grace: float = 0) -> List[psutil.Process]:
        """Live processes of the programs' process groups (servers, their children, prefixers)
        started after this tree was, still there after up to `grace` seconds."""
        deadline = time.monotonic() + grace
        while True:
            found = []
            for process in psutil.process_iter(["pid", "status", "create_time"]):
                try:
                    if (os.getpgid(process.pid) in self.groups and process.info["create_time"] >= self.started
                            and process.info["status"] != psutil.STATUS_ZOMBIE):
                        found.append(process)
                except (ProcessLookupError, psutil.Error):
                    continue
            if not found or time.monotonic() > deadline:
                return found
            time.sleep(0.2)

    def stop(self) -> None:
        """Clean up after a test, whatever happened: SIGTERM to the foreground command (supervisord
        stops its programs), then SIGKILL to what is left of the programs."""
        if self.running():
            try:
                self.interrupt(signal.SIGTERM, timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        for process in self.leftovers():
            process.kill()


def listened_ports(ports: List[int]) -> List[int]:
    """The ports of `ports` that something still listens on."""
    return [port for port in ports if listening_addresses(port)]


def poll_until_back(tree: SupervisedTree, program: str, old_pid: int, ready: Callable[[], bool],
                    others: Dict[str, Callable[[], bool]], timeout: float) -> tuple:
    """Poll until `program` runs with a new pid and `ready()` holds, checking meanwhile that every
    check of `others` keeps passing. (seconds until back, [failed checks of the others])."""
    started = time.monotonic()
    failures: List[str] = []
    while time.monotonic() - started < timeout:
        for name, check in others.items():
            if not passes(check):
                failures.append(f"{name} at {time.monotonic() - started:.1f}s")
        pid = tree.pid(program)
        if pid and pid != old_pid and passes(ready):
            return time.monotonic() - started, failures
        time.sleep(0.5)
    raise AssertionError(f"{program} not back after {timeout:.0f} s\n{tree.output()[-4000:]}")


def passes(check: Callable[[], bool]) -> bool:
    """check(), with a refused or failed connection counting as False."""
    try:
        return bool(check())
    except (urllib.error.URLError, ConnectionError, OSError, ValueError):
        return False


@dataclass
class Message:
    sender: str
    text: str
    sent: float  # time.monotonic() of the first attempt
    done: float = 0.0
    texts: Optional[List[str]] = None  # the answer's texts; None: no answer
    error: str = ""
    attempts: int = 0
    cut: bool = False  # a connection broke after the message was sent: it may have been handled


class Load:
    """`conversations` threads, each sending SCRIPT's messages in turn through the REST channel at
    `url`, one after the other, until stop(). With resend=True a message that was refused or cut
    off is sent again until it is answered (up to `resend_for` seconds), as a person or the chat
    page does after "probeer het zo meteen opnieuw"."""

    def __init__(self, url: str, conversations: int = 4, resend: bool = False,
                 resend_for: float = 180, pause: float = 0.3, timeout: float = 150) -> None:
        self.url = f"{url}/webhooks/rest/webhook"
        self.senders = [f"supervised-{c}-{uuid.uuid4().hex[:8]}" for c in range(conversations)]
        self.resend, self.resend_for, self.pause, self.timeout = resend, resend_for, pause, timeout
        self.messages: List[Message] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads = [threading.Thread(target=self._converse, args=(sender, c), daemon=True)
                         for c, sender in enumerate(self.senders)]

    def __enter__(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=self.resend_for + self.timeout)

    def _converse(self, sender: str, offset: int) -> None:
        for k in itertools.count():
            if self._stopping.is_set():
                return
            message = Message(sender, SCRIPT[(offset + k) % len(SCRIPT)], time.monotonic())
            with self._lock:
                self.messages.append(message)
            self._send(message)
            time.sleep(self.pause)

    def _send(self, message: Message) -> None:
        body = {"sender": message.sender, "message": message.text}
        while True:
            message.attempts += 1
            try:
                status, answer = http("POST", self.url, body, timeout=self.timeout)
                message.texts = [m["text"] for m in answer or [] if isinstance(m, dict) and m.get("text")]
                message.error = "" if status == 200 else f"HTTP {status}"
                break
            except urllib.error.HTTPError as error:
                message.error = f"HTTP {error.code}"
                break
            except (urllib.error.URLError, HTTPException, ConnectionError, OSError) as error:
                reason = getattr(error, "reason", error)
                message.cut = message.cut or not isinstance(reason, ConnectionRefusedError)
                message.error = repr(reason)
                if not self.resend or time.monotonic() - message.sent > self.resend_for:
                    break
                time.sleep(0.5)
        message.done = time.monotonic()

    def wait_answered(self, count: int, after: float, timeout: float = 180) -> None:
        """Until every conversation has `count` answered messages sent after `after`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                answered = [sum(1 for m in self.messages if m.sender == s and m.sent > after and m.texts)
                            for s in self.senders]
            if min(answered) >= count:
                return
            time.sleep(0.2)
        raise AssertionError(f"answered per conversation since {after:.0f}: {answered}")

    def sent_by_sender(self) -> Dict[str, list]:
        """For check_conversations: per sender (text, answer texts or None when it may differ)."""
        return {sender: [(m.text, None if m.cut else m.texts) for m in self.messages if m.sender == sender]
                for sender in self.senders}


def differing_answers(events: Dict[str, List[dict]], sent: Dict[str, list]) -> List[str]:
    """Turns whose stored bot messages differ from the answer the client got, compared turn by turn
    (a conversation with a message stored twice or lost is left out: check_conversations counts
    those). The same text can get another answer later in a conversation, so not by text."""
    problems = []
    for sender, turns in sent.items():
        stored: List[list] = []
        for event in events.get(sender, []):
            if event.get("event") == "user":
                stored.append([event.get("text"), []])
            elif event.get("event") == "bot" and event.get("text") and stored:
                stored[-1][1].append(event["text"])
        if len(stored) != len(turns):
            continue
        for k, ((text, answer), (stored_text, bots)) in enumerate(zip(turns, stored)):
            if text != stored_text or (answer is not None and bots != answer):
                problems.append(f"{sender} #{k}: sent {text!r}, got {answer!r}; "
                                f"stored {stored_text!r} {bots!r}")
    return problems


def rest_answers(url: str, sender: str, text: str) -> bool:
    """True when the REST channel at `url` answers `text` with at least one text."""
    status, answer = http("POST", f"{url}/webhooks/rest/webhook", {"sender": sender, "message": text})
    return status == 200 and any(isinstance(m, dict) and m.get("text") for m in answer or [])


def summary(messages: List[Message]) -> str:
    return json.dumps({"messages": len(messages), "answered": sum(1 for m in messages if m.texts),
                       "sorry_vdab": sum(1 for m in messages if m.texts == [NO_ANSWER]),
                       "resent": sum(1 for m in messages if m.attempts > 1),
                       "cut": sum(1 for m in messages if m.cut)})
