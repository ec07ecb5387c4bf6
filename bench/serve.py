"""One variant served as in production by the test harness's Cluster (tests/servers), and
measured: start-up, memory, the question sets, latency, load, hostile input, two servers
behind nginx and, for the project, the ablation of the answer path's layers."""
from __future__ import annotations

import signal
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict

from bench import traffic
from bench.measure import CpuMeter, rss_mb
from bench.rows import FIGURES
from bench.training import PROJECT
from bot.evaluation.questions import QuestionSet, load_question_set
from bot.evaluation.runner import run_set
from bot.rasa_api import RasaClient
from bot.settings import REPO_ROOT
from tests.servers import Cluster, PostgresDatabase

if TYPE_CHECKING:
    from bench.settings import Settings

QUESTION_SETS = {"dev": REPO_ROOT.parent / "shared" / "eval" / "dev_questions.yml",
                 "blind": REPO_ROOT / "tests" / "evaluation" / "blind_questions.yml",
                 "own": REPO_ROOT / "tests" / "evaluation" / "questions.yml"}
ABLATION_SETS = ("dev", "blind")


def score(url: str, token: str, path: Path, every: int) -> Dict[str, Any]:
    """bot.evaluation's runner and scoring on one question set (every n-th question and
    conversation); a failed request counts as a wrong answer."""
    questions = load_question_set(path)
    questions = QuestionSet(questions.questions[::every], questions.conversations[::every])
    # every question is a conversation of its own, so a few at a time give the same answers sooner
    with RasaClient(url, token, timeout=120) as client:
        results = run_set(client, questions, workers=4, keep_going=True)
    figures = results.figures()
    return {**{f: figures[f] for f in FIGURES}, "questions": figures["questions"],
            "conversation_turns": figures["conversation_turns"], "failed_requests": len(results.errors),
            "confusions": figures["confusions"][:15]}


def serve(variant: str, model: Path, settings: "Settings", workdir: Path, env: Dict[str, str],
          raw: Dict[str, Any], phase: Callable[[str, Callable[[], Any]], Any],
          log: Callable[[str], None]) -> None:
    """Fill `raw` with the variant's measurements; each step is a `phase` of its own, so one
    that fails leaves the others."""
    database = PostgresDatabase(f"bench_{uuid.uuid4().hex[:10]}").create()
    workdir.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(workdir, env, tracker_db=database.name, model=model)
    skip = settings.skip
    try:
        started = time.monotonic()
        actions = cluster.start_actions()
        raw["actions_start_s"] = time.monotonic() - started
        started = time.monotonic()
        cluster.spawn_rasa(0)
        cluster.wait_rasa(0)
        first = traffic.first_answer(cluster.rasa_url)
        raw["rasa_first_answer_s"] = time.monotonic() - started if first.ok else None
        pids = {"rasa": cluster.named["rasa-a"].pid, "actions": actions.pid}
        raw["rss_after_start_mb"] = {name: rss_mb(pid) for name, pid in pids.items()}
        log(f"{variant}: first answer after {raw['rasa_first_answer_s'] or float('nan'):.1f} s")

        found = {name: path for name, path in QUESTION_SETS.items() if path.exists()}
        raw["sets"] = {}
        for name, path in found.items():
            scores = phase(f"{variant}: {name} set", lambda p=path: score(
                cluster.rasa_url, cluster.rasa_token, p, settings.eval_every))
            if scores:
                raw["sets"][name] = scores
        raw["sequential"] = phase(f"{variant}: latency", lambda: traffic.sequential(
            cluster.rasa_url, settings.latency_count, settings.warmup))

        def one_server_load() -> Dict[str, Any]:
            meter = CpuMeter(pids)
            result = traffic.load(cluster.rasa_url, settings.users, settings.load_seconds)
            return {**result, "cpu_percent": meter.percent()}

        raw["load_1"] = phase(f"{variant}: load, one server", one_server_load)
        raw["rss_after_load_mb"] = {name: rss_mb(pid) for name, pid in pids.items()}
        if "hostile" not in skip:
            raw["hostile"] = {}
            phase(f"{variant}: hostile input", lambda: hostile(cluster.rasa_url, pids["rasa"], settings,
                                                                raw["hostile"]))
        if "two-servers" not in skip:
            raw["load_2"] = phase(f"{variant}: load, two servers", lambda: two_servers(cluster, settings, pids))
        if variant == PROJECT and "ablation" not in skip:
            raw["ablation"] = {}
            phase(f"{variant}: ablation", lambda: ablation(cluster, settings, found, raw["ablation"], log))
    except Exception:
        raw["logs"] = cluster.logs()[-4000:]
        raise
    finally:
        cluster.stop()
        database.drop()


def hostile(url: str, rasa_pid: int, settings: "Settings", out: Dict[str, Any]) -> None:
    out["latency"] = traffic.hostile_latency(url, settings.hostile_latency_count)
    out["mixed_load"] = traffic.load(url, settings.users, settings.load_seconds, text=traffic.mixed)
    before = rss_mb(rasa_pid)
    flood = traffic.load(url, settings.users, settings.hostile_max_seconds, settings.hostile_messages,
                         text=traffic.hostile_only)
    after = rss_mb(rasa_pid)
    out["memory"] = {"before_mb": before, "after_mb": after, "messages": flood["sent"],
                     "errors": flood["errors"], "seconds": flood["elapsed_s"],
                     "growth_pct": 100.0 * (after - before) / before if before and after else None}


def two_servers(cluster: Cluster, settings: "Settings", pids: Dict[str, int]) -> Dict[str, Any]:
    cluster.spawn_rasa(1)
    cluster.wait_rasa(1)
    traffic.sequential(cluster.rasa_urls[1], 0, 3)  # warm-up, as the first server had
    cluster.start_nginx()
    meter = CpuMeter({**pids, "rasa2": cluster.named["rasa-b"].pid})
    result = traffic.load(cluster.nginx_url, settings.users, settings.load_seconds)
    return {**result, "cpu_percent": meter.percent()}


def ablation(cluster: Cluster, settings: "Settings", sets: Dict[str, Path], out: Dict[str, Any],
             log: Callable[[str], None]) -> None:
    """Each layer off in turn: only the action server restarts, with BOT_ABLATE=<layer>. The
    last step of a variant, so the action server is not restored afterwards."""
    from bot.dialogue.plan import LAYERS

    for layer in LAYERS:
        cluster.stop_actions(signal.SIGTERM)
        cluster.start_actions({"BOT_ABLATE": layer})
        out[layer] = {}
        for name in ABLATION_SETS:
            if name in sets:
                figures = score(cluster.rasa_url, cluster.rasa_token, sets[name], settings.eval_every)
                out[layer][name] = {f: figures[f] for f in FIGURES}
        log(f"ablation {layer}: " + ", ".join(f"{n} {v['right_measure']['pct']} % right measure"
                                              for n, v in out[layer].items()))
