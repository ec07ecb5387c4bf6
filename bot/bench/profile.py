"""`python -m bot bench profile`: where time and memory go in the project's Rasa server (and
its action server), at start-up and per message, plus environment-only experiments; written
to var/bench/profile.txt (text) and var/bench/profile.json.

1. py-spy (sampling, attached by pid) on the Rasa server from process start to the first answer,
   then on the Rasa server and the action server during sequential messages.
2. bot.bench.probe in its own process: time and RSS per start-up stage; per message, every
   graph node, the action-server call and the tracker store, timed by wrapping them.
3. Rotating runs of one Rasa server + action server under environment-only changes
   (TF thread pools of 1; two action-server workers): sequential latency, 20-user load, RSS;
   and TF thread pools of 1 on one and two Rasa servers with the production endpoints.
The model profiled is models/current.tar.gz (what `make run` serves); it is only read.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from bot.bench.memory import rss_mb
from bot.bench.stats import median
from bot.settings import REPO_ROOT

PY_SPY = REPO_ROOT / ".venv" / "bin" / "py-spy"
MODEL = REPO_ROOT / "models" / "current.tar.gz"
TF_ONE_THREAD = {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1"}
ACTIONS_TWO_WORKERS = {"ACTION_SERVER_SANIC_WORKERS": "2"}
# Environment-only changes (no code, no retraining) tried on one Rasa server + one action server.
CONFIG_VARIANTS: Dict[str, Dict[str, str]] = {
    "default": {},
    "tf1": TF_ONE_THREAD,
    "tf1+aw2": {**TF_ONE_THREAD, **ACTIONS_TWO_WORKERS},
}

# What to look for in the sampled stacks (inclusive: a sample counts when any frame matches).
STARTUP_MARKERS: Tuple[Tuple[str, str], ...] = (
    ("Python imports (all modules)", r"^_find_and_load "),
    ("  import tensorflow", r"^<module> \(tensorflow/__init__\.py"),
    ("  import rasa", r"^<module> \(rasa/__init__\.py"),
    ("  import spacy", r"^<module> \(spacy/__init__\.py"),
    ("model loading (rasa Agent / graph)", r"\(rasa/(core/agent|engine/|model\.py)"),
    ("  DIETClassifier load", r"\(rasa/nlu/classifiers/diet_classifier\.py|\(bot/nlu/intent_classifier\.py"),
    ("  TensorFlow graph tracing / warm-up", r"\(tensorflow/python/(eager/polymorphic_function|eager/def_function|framework/func_graph)"),
    ("  SpacyNLP load", r"\(rasa/nlu/utils/spacy_utils\.py"),
    ("  CountVectorsFeaturizer load", r"count_vectors_featurizer\.py"),
    ("  tar unpacking", r"\(tarfile\.py"),
    ("catalogue matcher (bot/nlu)", r"\(bot/nlu/"),
    ("tracker store setup (SQLAlchemy)", r"\(sqlalchemy/"),
)
MESSAGE_MARKERS: Tuple[Tuple[str, str], ...] = (
    ("TensorFlow (any)", r"\(tensorflow/|\(keras/"),
    ("DIETClassifier.process", r"\(rasa/nlu/classifiers/diet_classifier\.py"),
    ("featurizers (count vectors, lexical)", r"\(rasa/nlu/featurizers/"),
    ("SpacyNLP + SpacyTokenizer", r"\(rasa/nlu/(utils/spacy_utils|tokenizers/spacy_tokenizer)\.py"),
    ("catalogue matcher (bot/nlu)", r"\(bot/nlu/"),
    ("policies (Memoization, Rule)", r"\(rasa/core/policies/"),
    ("tracker store", r"\(rasa/core/tracker_store\.py"),
    ("SQLAlchemy (any)", r"\(sqlalchemy/"),
    ("remote action call", r"\(rasa/core/actions/action\.py"),
    ("event (de)serialisation", r"\(rasa/shared/core/(events|trackers)\.py"),
    ("logging / structlog", r"\((structlog/|logging/)"),
    ("sanic / HTTP", r"\(sanic/"),
)
ACTION_MARKERS: Tuple[Tuple[str, str], ...] = (
    ("action_answer_measure", r"^run \(actions/answers\.py"),
    ("  answer_message", r"^answer_message \(bot/answers\.py"),
    ("  list_measures (whole catalogue as objects)", r"^list_measures \(bot/catalogue/queries\.py"),
    ("  outline (ids, priorities, instrument map)", r"^outline \(bot/(catalogue/queries|answers)\.py"),
    ("  get_measure / get_instrument", r"^get_(measure|instrument) \(bot/catalogue/queries\.py"),
    ("  answer_topic", r"^answer_topic \(bot/answers\.py"),
    ("SQLAlchemy (any)", r"\(sqlalchemy/"),
    ("  ORM object loading", r"\(sqlalchemy/orm/(loading|strategies)\.py"),
    ("  SQL compilation", r"\(sqlalchemy/sql/compiler\.py"),
    ("  SQL execution in the driver (do_execute)", r"^do_execute \(sqlalchemy/engine/default\.py"),
    ("rasa_sdk / sanic", r"\((rasa_sdk|sanic)/"),
)


# ---------------------------------------------------------------------------- py-spy output
_SPY_META = re.compile(r'^(process \d+:|thread \(0x)')
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<path>.*?)(?::(?P<line>\d+))?\)$")


def short_path(path: str) -> str:
    """site-packages/rasa/core/x.py -> rasa/core/x.py; /work/main/bot/x.py -> bot/x.py."""
    for marker in ("site-packages/", "dist-packages/"):
        if marker in path:
            return path.split(marker, 1)[1]
    root = str(REPO_ROOT) + "/"
    if path.startswith(root):
        return path[len(root):]
    if "/lib/python3" in path:
        return path.split("/lib/python3", 1)[1].split("/", 1)[-1]
    return path


def frame_key(frame: str) -> str:
    """'func (path:line)' -> 'func (short path)', the line number dropped."""
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    return f"{match.group('func')} ({short_path(match.group('path'))})"


@dataclass
class Samples:
    stacks: List[Tuple[List[str], int]]  # frames root..leaf (keys), count

    @property
    def total(self) -> int:
        return sum(count for _, count in self.stacks)

    def inclusive(self, pattern: str) -> int:
        regex = re.compile(pattern)
        return sum(count for frames, count in self.stacks if any(regex.search(f) for f in frames))

    def self_by_function(self) -> Counter:
        counts: Counter = Counter()
        for frames, count in self.stacks:
            if frames:
                counts[frames[-1]] += count
        return counts

    def self_by_package(self) -> Counter:
        counts: Counter = Counter()
        for frames, count in self.stacks:
            if frames:
                counts[package_of(frames[-1])] += count
        return counts


def parse_raw(text: str) -> Samples:
    """py-spy's --format raw: one 'frame;frame;...;leaf COUNT' line per distinct stack (root first).
    Thread/process frames py-spy may add (e.g. 'process 12:"..."') are dropped."""
    stacks = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line or " " not in line:
            continue
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [frame_key(f) for f in stack.split(";") if f and not _SPY_META.match(f)]
        stacks.append((frames, int(count)))
    return Samples(stacks)


def package_of(frame: str) -> str:
    match = _FRAME.match(frame)
    path = match.group("path") if match else frame
    for prefix, name in (("tensorflow/", "tensorflow"), ("keras/", "tensorflow"), ("rasa_sdk/", "rasa_sdk"),
                         ("rasa/", "rasa"), ("sqlalchemy/", "sqlalchemy"), ("spacy/", "spacy"),
                         ("thinc/", "spacy"), ("srsly/", "spacy"), ("sklearn/", "scikit-learn / scipy"),
                         ("scipy/", "scikit-learn / scipy"), ("numpy/", "numpy"), ("sanic/", "sanic / HTTP"),
                         ("aiohttp/", "sanic / HTTP"), ("asyncio/", "asyncio"), ("bot/", "project code"),
                         ("actions/", "project code"), ("<frozen importlib", "import machinery"),
                         ("structlog/", "logging"), ("logging/", "logging")):
        if path.startswith(prefix) or f"/{prefix}" in path:
            return name
    return "other"


class Spy:
    """py-spy attached to a running process by pid, stopped with SIGINT (the target survives)."""

    def __init__(self, pid: int, output: Path, rate: int = 100, attempts: int = 100) -> None:
        self.output = output
        self.process: Optional[subprocess.Popen] = None
        for _ in range(attempts):  # just after exec, py-spy cannot find the interpreter yet
            log = open(output.with_suffix(".log"), "wb")
            process = subprocess.Popen([str(PY_SPY), "record", "--pid", str(pid), "--format", "raw",
                                        "--rate", str(rate), "--output", str(output)],
                                       stdout=log, stderr=subprocess.STDOUT)
            time.sleep(0.15)
            if process.poll() is None:
                self.process = process
                return
        raise RuntimeError(f"py-spy could not attach to {pid}: {output.with_suffix('.log').read_text()[-500:]}")

    def stop(self) -> Samples:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return parse_raw(self.output.read_text(errors="replace")) if self.output.exists() else Samples([])


# ---------------------------------------------------------------------------- report helpers
def marker_lines(samples: Samples, markers: Iterable[Tuple[str, str]], rate: int,
                 messages: Optional[int] = None) -> List[str]:
    total = samples.total or 1
    lines = []
    for label, pattern in markers:
        count = samples.inclusive(pattern)
        seconds = count / rate
        extra = f"  ~{1000 * seconds / messages:6.1f} ms/message" if messages else f"  {seconds:6.1f} s"
        lines.append(f"  {label:<42} {100 * count / total:5.1f} %{extra}")
    return lines


def top_lines(counter: Counter, total: int, limit: int) -> List[str]:
    return [f"  {100 * count / (total or 1):5.1f} %  {name}" for name, count in counter.most_common(limit)]


# ---------------------------------------------------------------------------- the run
def _stack(tmp: Path, name: str, env: Dict[str, str]):
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from bot.catalogue.db import get_engine
    from bot.catalogue.loader import load_catalogue
    from bot.settings import catalogue_dir
    from tests.servers import Stack

    workdir = tmp / name
    workdir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{workdir / 'bot.db'}"
    load_catalogue(get_engine(url), catalogue_dir())
    return Stack(workdir, {"BOT_DATABASE_URL": url, **env}, model=MODEL)


def _log(message: str) -> None:
    print(f"[profile] {message}", file=sys.stderr, flush=True)


def profile_with_pyspy(tmp: Path, rounds: int, rate: int = 100) -> Dict:
    from bot.bench import load

    result: Dict = {}
    stack = _stack(tmp, "spy", {})
    try:
        actions = stack.start_actions()
        started = time.monotonic()
        rasa = stack.spawn_rasa()
        spy = Spy(rasa.pid, tmp / "startup.txt", rate)
        stack.wait_rasa(rasa)
        first = load.first_answer(stack.rasa_url)
        result["first_answer_s"] = time.monotonic() - started if first.ok else None
        startup = spy.stop()
        result["rss_after_start_mb"] = {"rasa": rss_mb(rasa.pid), "actions": rss_mb(actions.pid)}
        _log(f"start-up: {result['first_answer_s']:.1f} s to the first answer, {startup.total} samples")
        # The same sequential scenarios as the benchmark, with both servers sampled.
        load.sequential(stack.rasa_url, 0, 5)
        rasa_spy = Spy(rasa.pid, tmp / "messages-rasa.txt", rate)
        actions_spy = Spy(actions.pid, tmp / "messages-actions.txt", rate)
        sampled_from = time.monotonic()
        sequential = load.sequential(stack.rasa_url, rounds, 0)
        wall = time.monotonic() - sampled_from
        rasa_samples, action_samples = rasa_spy.stop(), actions_spy.stop()
        result["rss_after_messages_mb"] = {"rasa": rss_mb(rasa.pid), "actions": rss_mb(actions.pid)}
        messages = rounds * 3  # catalogue + follow-up in one conversation, hallo in another
        result.update({"startup": startup, "rasa": rasa_samples, "actions": action_samples, "messages": messages,
                       "wall_s": wall, "sequential": sequential.summary(), "rate": rate})
        _log(f"messages: {messages} in {wall:.1f} s; {rasa_samples.total} Rasa samples, "
             f"{action_samples.total} action-server samples")
    finally:
        stack.stop()
    return result


def probe(tmp: Path, rounds: int) -> Dict:
    """bot.bench.probe against a running action server (SQLite tracker store as in endpoints.yml)."""
    stack = _stack(tmp, "probe", {})
    try:
        stack.start_actions()
        out = tmp / "probe.json"
        env = {**stack.process_env(), "PYTHONDONTWRITEBYTECODE": "1"}
        completed = subprocess.run([sys.executable, "-m", "bot.bench.probe", str(MODEL), stack.actions_url,
                                    str(out), str(rounds), str(tmp / "probe" / "tracker.db")],
                                   cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900)
        if completed.returncode != 0:
            raise RuntimeError(f"probe failed: {completed.stderr[-2000:]}")
        return json.loads(out.read_text())
    finally:
        stack.stop()


def ab_run(tmp: Path, name: str, env: Dict[str, str], count: int, load_seconds: float) -> Dict:
    from bot.bench import load

    stack = _stack(tmp, name, env)
    try:
        actions = stack.start_actions()
        started = time.monotonic()
        rasa = stack.spawn_rasa()
        stack.wait_rasa(rasa)
        first = load.first_answer(stack.rasa_url)
        startup = time.monotonic() - started if first.ok else None
        rss_start = rss_mb(rasa.pid)
        sequential = load.sequential(stack.rasa_url, count, 5).summary()
        loaded = load.load(stack.rasa_url, 20, load_seconds).summary()
        return {"startup_s": startup, "rss_start_mb": rss_start, "rss_after_mb": rss_mb(rasa.pid),
                "sequential": sequential, "load": loaded, "actions_rss_mb": rss_mb(actions.pid),
                "load_average": os.getloadavg()[0]}
    finally:
        stack.stop()


def config_experiment(tmp: Path, rounds: int, count: int, load_seconds: float) -> Dict:
    """The same measurements under each environment in CONFIG_VARIANTS, in rotating order per round
    so drift in the machine's load hits every variant alike."""
    runs: Dict[str, List[Dict]] = {name: [] for name in CONFIG_VARIANTS}
    names = list(CONFIG_VARIANTS)
    for index in range(rounds):
        order = names[index % len(names):] + names[:index % len(names)]
        for name in order:
            _log(f"config experiment: {name}, round {index + 1}/{rounds}")
            runs[name].append(ab_run(tmp, f"ab-{name}-{index}", CONFIG_VARIANTS[name], count, load_seconds))
    return runs


def two_server_run(tmp: Path, name: str, env: Dict[str, str], load_seconds: float) -> Dict:
    """Production endpoints (fresh PostgreSQL database, Redis lock store), one action server, two
    Rasa servers behind nginx: 20-user load on the first server alone, then through nginx."""
    from bot.bench import load
    from bot.bench.memory import CpuMeter
    from bot.bench.nginx import Nginx
    from bot.bench.postgres import FreshDatabase
    from tests.servers import free_port, wait_until

    database = FreshDatabase()
    database.create()
    stack = _stack(tmp, name, env)
    stack.endpoints_text, endpoint_env, _ = database.production_endpoints(stack.actions_url)
    stack.env.update(endpoint_env)
    nginx = None
    try:
        actions = stack.start_actions()
        first = stack.spawn_rasa()
        stack.wait_rasa(first)
        second_port = free_port()
        second = stack.spawn_rasa(second_port, "rasa2")
        stack.wait_rasa(second, second_port)
        for url in (stack.rasa_url, f"http://127.0.0.1:{second_port}"):
            load.sequential(url, 0, 5)
        meter = CpuMeter({"rasa": first.pid, "actions": actions.pid})
        one = {**load.load(stack.rasa_url, 20, load_seconds).summary(), "cpu_percent": meter.percent()}
        nginx = Nginx(tmp / f"nginx-{name}", free_port(), [f"127.0.0.1:{stack.rasa_port}", f"127.0.0.1:{second_port}"])
        nginx.start()
        wait_until(lambda: load.first_answer(nginx.url).ok, 30, "nginx upstream")
        meter = CpuMeter({"rasa": first.pid, "rasa2": second.pid, "actions": actions.pid})
        two = {**load.load(nginx.url, 20, load_seconds).summary(), "cpu_percent": meter.percent()}
        return {"one": one, "two": two, "load_average": os.getloadavg()[0]}
    finally:
        if nginx is not None:
            nginx.stop()
        stack.stop()
        database.drop()


def two_server_experiment(tmp: Path, rounds: int, load_seconds: float) -> Dict:
    """default vs TF thread pools of 1, on one and on two Rasa servers (A B B A ... order)."""
    runs: Dict[str, List[Dict]] = {"default": [], "tf1": []}
    for index in range(rounds):
        order = ["default", "tf1"] if index % 2 == 0 else ["tf1", "default"]
        for name in order:
            _log(f"two-server experiment: {name}, round {index + 1}/{rounds}")
            runs[name].append(two_server_run(tmp, f"two-{name}-{index}", CONFIG_VARIANTS[name], load_seconds))
    return runs


def two_server_lines(runs: Dict) -> List[str]:
    lines = ["", f"== TF thread pools of 1 with the production endpoints (PostgreSQL + Redis), medians of "
                 f"{min(len(v) for v in runs.values())} rounds, 20 users:"]
    lines.append(f"  {'':<36} {'default':>9} {'tf1':>9} {'tf1/def':>8}")
    for label, path in (("1 server: throughput msg/s", ("one", "throughput")), ("1 server: p50 ms", ("one", "p50")),
                        ("1 server: p95 ms", ("one", "p95")),
                        ("2 servers + nginx: throughput msg/s", ("two", "throughput")),
                        ("2 servers + nginx: p50 ms", ("two", "p50")), ("2 servers + nginx: p95 ms", ("two", "p95"))):
        a, b = _m(runs["default"], *path), _m(runs["tf1"], *path)
        ratio = f"{b / a:8.2f}" if a and b else f"{'n/a':>8}"
        lines.append(f"  {label:<36} {a if a is not None else float('nan'):9.1f} "
                     f"{b if b is not None else float('nan'):9.1f} {ratio}")
    return lines


def _m(runs: List[Dict], *path: str) -> Optional[float]:
    values = []
    for run in runs:
        value = run
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, (int, float)):
            values.append(value)
    return median(values)


def summary_lines(spy: Dict, probed: Dict, ab: Dict) -> List[str]:
    """The top costs, with numbers, computed from the measurements below."""
    rate = spy.get("rate", 100)
    lines = ["== Top costs (details below)"]
    stages = probed.get("stages", [])
    deltas = []
    for before, after in zip(stages, stages[1:]):
        deltas.append((after["stage"], after["seconds"] - before["seconds"], after["rss_mb"] - before["rss_mb"]))
    if deltas:
        lines.append(f"  start-up, in-process probe (to the first message {next((s['seconds'] for s in stages if s['stage'] == 'first message'), float('nan')):.1f} s, "
                     f"{next((s['rss_mb'] for s in stages if s['stage'] == 'first message'), float('nan')):.0f} MB):")
        for stage, seconds, mb in sorted(deltas, key=lambda d: -d[1])[:3]:
            lines.append(f"    {stage:<44} {seconds:6.1f} s  {mb:+6.0f} MB")
    startup: Samples = spy.get("startup") or Samples([])
    if startup.total:
        picks = [(label.strip(), startup.inclusive(pattern) / rate) for label, pattern in STARTUP_MARKERS
                 if label.startswith("  ") or label.startswith("catalogue")]
        lines.append(f"  start-up of `rasa run` (py-spy, {spy.get('first_answer_s') or float('nan'):.1f} s to the first answer), biggest parts:")
        for label, seconds in sorted(picks, key=lambda p: -p[1])[:5]:
            lines.append(f"    {label:<44} {seconds:6.1f} s")
    messages = spy.get("messages") or 1
    for name, markers, title in (("rasa", MESSAGE_MARKERS, "Rasa server"), ("actions", ACTION_MARKERS, "action server")):
        samples: Samples = spy.get(name) or Samples([])
        if not samples.total:
            continue
        busy = 1000 * samples.total / rate / messages
        picks = [(label.strip(), 1000 * samples.inclusive(pattern) / rate / messages, samples.inclusive(pattern) / samples.total)
                 for label, pattern in markers]
        picks = [p for p in picks if p[2] < 0.99]
        lines.append(f"  per message, {title}: ~{busy:.1f} ms CPU per message; biggest parts:")
        for label, ms, share in sorted(picks, key=lambda p: -p[1])[:5]:
            lines.append(f"    {label:<44} {ms:6.1f} ms  ({100 * share:4.1f} %)")
    if ab and ab.get("default"):
        base = ab["default"]
        lines.append("  environment-only changes vs default (medians):")
        for name, runs in ab.items():
            if name == "default":
                continue
            parts = []
            for label, path in (("20-user throughput", ("load", "throughput")), ("20-user p50", ("load", "p50")),
                                ("catalogue p50", ("sequential", "catalogue", "p50")), ("start-up", ("startup_s",))):
                a, b = _m(base, *path), _m(runs, *path)
                if a and b:
                    parts.append(f"{label} x{b / a:.2f}")
            lines.append(f"    {name:<10} " + ", ".join(parts))
    return lines


def write_report(out_dir: Path, spy: Dict, probed: Dict, ab: Dict, two: Optional[Dict] = None) -> str:
    rate = spy.get("rate", 100)
    lines = ["Profile of the project's Rasa server (models/current.tar.gz, config.yml)",
             f"generated {time.strftime('%Y-%m-%d %H:%M')}, machine load average {os.getloadavg()[0]:.1f} "
             f"on {os.cpu_count()} cores (other work was running: treat absolute numbers as noisy)", ""]
    lines += summary_lines(spy, probed, ab) + [""]
    # ---- start-up
    lines.append("== Start-up (probe: one process, stage by stage; cumulative wall time and RSS)")
    previous = {"seconds": 0.0, "rss_mb": 0.0}
    for stage in probed.get("stages", []):
        lines.append(f"  {stage['stage']:<40} {stage['seconds']:7.1f} s (+{stage['seconds'] - previous['seconds']:5.1f})"
                     f"  {stage['rss_mb']:7.0f} MB (+{stage['rss_mb'] - previous['rss_mb']:5.0f})")
        previous = stage
    startup: Samples = spy.get("startup") or Samples([])
    lines += ["", f"== Start-up, `rasa run` sampled by py-spy ({startup.total} samples at {rate} Hz; "
                  f"process start -> first answer {spy.get('first_answer_s') or float('nan'):.1f} s)",
              "  inclusive share of busy samples (a sample counts for every marker on its stack):"]
    lines += marker_lines(startup, STARTUP_MARKERS, rate)
    lines += ["  self time by package:"] + top_lines(startup.self_by_package(), startup.total, 8)
    # ---- per message
    lines += ["", "== Per message (probe: median ms per message; catalogue question + follow-up in one conversation, hallo in another; "
                  f"{probed.get('tracker_store')} on SQLite like endpoints.yml)"]
    per = probed.get("per_message_ms_median", {})
    keys = sorted({k for v in per.values() for k in v}, key=lambda k: -max(v.get(k, 0) for v in per.values()))
    lines.append(f"  {'':<58} {'catalogue':>9} {'follow-up':>9} {'hallo':>9}")
    for key in keys:
        values = [per.get(s, {}).get(key) for s in ("catalogue", "followup", "plain")]
        if max(v or 0 for v in values) < 0.2 and key != "total":
            continue
        lines.append(f"  {key[:58]:<58} " + " ".join(f"{v:9.1f}" if v is not None else f"{'-':>9}" for v in values))
    messages = spy.get("messages") or 1
    for name, markers, title in (("rasa", MESSAGE_MARKERS, "Rasa server"),
                                 ("actions", ACTION_MARKERS, "action server")):
        samples: Samples = spy.get(name) or Samples([])
        lines += ["", f"== Per message, {title} sampled by py-spy ({samples.total} busy samples at {rate} Hz over "
                      f"{messages} messages in {spy.get('wall_s', 0):.1f} s; "
                      f"~{1000 * samples.total / rate / messages:.1f} ms busy per message)"]
        lines += marker_lines(samples, markers, rate, messages)
        lines += ["  self time by package:"] + top_lines(samples.self_by_package(), samples.total, 8)
        lines += ["  top functions by self time:"] + top_lines(samples.self_by_function(), samples.total, 12)
    sequential = spy.get("sequential", {})
    if sequential:
        lines += ["", "  latency while sampled (py-spy slows the server a little): " + ", ".join(
            f"{s} p50 {v['p50']:.0f} ms" for s, v in sequential.items() if v.get("p50") is not None)]
    lines += ["", "== Memory after start (RSS): Rasa server "
                  f"{(spy.get('rss_after_start_mb') or {}).get('rasa') or 0:.0f} MB, action server "
                  f"{(spy.get('rss_after_start_mb') or {}).get('actions') or 0:.0f} MB; after "
                  f"{messages} messages: Rasa {(spy.get('rss_after_messages_mb') or {}).get('rasa') or 0:.0f} MB, "
                  f"actions {(spy.get('rss_after_messages_mb') or {}).get('actions') or 0:.0f} MB"]
    # ---- environment experiments
    if ab:
        names = list(ab)
        lines += ["", "== Environment-only changes, medians of "
                      f"{min(len(v) for v in ab.values())} rounds each (one Rasa server, one action server, SQLite tracker):",
                  "   tf1     = TF_INTRA_OP_PARALLELISM_THREADS=1 TF_INTER_OP_PARALLELISM_THREADS=1",
                  "   tf1+aw2 = tf1 + ACTION_SERVER_SANIC_WORKERS=2 (two action-server worker processes)"]
        rows = [("catalogue p50 ms", ("sequential", "catalogue", "p50")),
                ("catalogue p95 ms", ("sequential", "catalogue", "p95")),
                ("follow-up p50 ms", ("sequential", "followup", "p50")),
                ("hallo p50 ms", ("sequential", "plain", "p50")),
                ("hallo p95 ms", ("sequential", "plain", "p95")),
                ("20 users: throughput msg/s", ("load", "throughput")),
                ("20 users: p50 ms", ("load", "p50")),
                ("20 users: p95 ms", ("load", "p95")),
                ("start -> first answer s", ("startup_s",)),
                ("Rasa RSS after start MB", ("rss_start_mb",)),
                ("Rasa RSS after load MB", ("rss_after_mb",)),
                ("action server RSS MB", ("actions_rss_mb",))]
        header = f"  {'':<28}" + "".join(f" {n:>9}" for n in names) + "".join(f" {n + '/def':>12}" for n in names[1:])
        lines.append(header)
        for label, path in rows:
            values = [_m(ab[n], *path) for n in names]
            base = values[0]
            cells = "".join(f" {v:9.1f}" if v is not None else f" {'n/a':>9}" for v in values)
            ratios = "".join(f" {v / base:12.2f}" if v is not None and base else f" {'n/a':>12}" for v in values[1:])
            lines.append(f"  {label:<28}{cells}{ratios}")
    if two:
        lines += two_server_lines(two)
    text = "\n".join(lines) + "\n"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "profile.txt").write_text(text, encoding="utf-8")
    serialisable = {k: (v.self_by_function().most_common(40) if isinstance(v, Samples) else v) for k, v in spy.items()}
    (out_dir / "profile.json").write_text(json.dumps({"pyspy": serialisable, "probe": probed, "environment_experiments": ab,
                                                      "two_server_experiment": two},
                                                     indent=1, default=str), encoding="utf-8")
    return text


def run_profile(out_dir: Path, quick: bool = False, keep_tmp: bool = False) -> int:
    if not MODEL.exists():
        print(f"No model at {MODEL}: run `make setup` first", file=sys.stderr)
        return 1
    if not PY_SPY.exists():
        print("py-spy is missing: pip install -r requirements.lock", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="bot-profile-"))
    try:
        spy = profile_with_pyspy(tmp, rounds=15 if quick else 60)
        _log("probe (in-process stage and per-node timings)")
        probed = probe(tmp, rounds=10 if quick else 40)
        ab = config_experiment(tmp, rounds=1 if quick else 2, count=20 if quick else 80,
                                   load_seconds=5 if quick else 15)
        two = two_server_experiment(tmp, rounds=1 if quick else 2, load_seconds=10 if quick else 30)
        text = write_report(out_dir, spy, probed, ab, two)
    finally:
        if not keep_tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(text)
    print(f"Written to {out_dir / 'profile.txt'}")
    return 0
