"""The whole benchmark: train both variants, the xSID check, then serve each variant and measure.

Every phase is guarded: a phase that fails leaves its rows at n/a and its error in the JSON
`meta.errors`, and the rest still runs. Nothing outside a temporary folder and var/bench/ is
written; models/current.tar.gz and the repository's .rasa/ cache are never touched.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from bot.bench import configs, training, xsid
from bot.bench.memory import CpuMeter, rss_mb
from bot.bench.stats import median_of_runs
from bot.bench.table import PROJECT, STOCK, Row, render, write_json
from bot.settings import REPO_ROOT

QUESTIONS = REPO_ROOT / "tests" / "evaluation" / "questions.yml"
EXPECTED_MEASURE = "opleidingsverlof-e-leren"  # what the catalogue question and follow-up are about
VARIANTS = (PROJECT, STOCK)
CPU_NOTE = "CPU time during the load run in % of one core (100 % = one core saturated; 2 cores in all)"
SERVING_NOTE = ("served with deploy/endpoints.production.yml: PostgreSQL tracker store (a fresh database "
                "on 127.0.0.1:5432) + the project's Redis lock store; one action server; nginx from "
                "deploy/nginx.conf.template; REST channel, loopback")


@dataclass
class Settings:
    quick: bool = False
    out_dir: Path = REPO_ROOT / "var" / "bench"
    latency_count: int = 200
    warmup: int = 10
    users: int = 20
    load_seconds: float = 30.0
    eval_every: int = 1  # use every n-th question (quick mode: a sample)
    # Training numbers (and the trained models) and the xSID results are reused from var/bench/
    # while config, data and code they depend on are unchanged (same fingerprint); fresh=True
    # measures them again regardless.
    fresh: bool = False
    # Reuse var/bench/models and the xSID results even when config or data changed since they
    # were measured (to re-measure serving numbers quickly); the table flags them as stale.
    reuse_stale: bool = False
    retrain: bool = True
    xsid: bool = True
    xsid_measure: bool = True  # False: only reuse earlier xSID results (quick mode)
    serve: bool = True
    two_servers: bool = True
    repeat: int = 1  # sequential latency and load runs per server; the table shows medians
    rasa_env: Dict[str, str] = field(default_factory=dict)  # extra env for the Rasa servers
    keep_tmp: bool = False

    @classmethod
    def quick_settings(cls, **overrides: Any) -> "Settings":
        values = dict(quick=True, latency_count=20, warmup=3, load_seconds=5.0, eval_every=5,
                      retrain=False, xsid_measure=False)
        values.update(overrides)
        return cls(**values)


class Bench:
    def __init__(self, settings: Settings, log: Callable[[str], None] = None) -> None:
        self.settings = settings
        self.started = time.monotonic()
        self.tmp = Path(tempfile.mkdtemp(prefix="bot-bench-"))
        self.raw: Dict[str, Any] = {PROJECT: {}, STOCK: {}, "xsid": {}}
        self.meta: Dict[str, Any] = {"errors": [], "phases": {}}
        self.models: Dict[str, Path] = {}
        self._log = log or (lambda message: print(message, file=sys.stderr, flush=True))

    # ------------------------------------------------------------------ helpers
    def log(self, message: str) -> None:
        elapsed = int(time.monotonic() - self.started)
        self._log(f"[bench {elapsed // 60:02d}:{elapsed % 60:02d}] {message}")

    def phase(self, name: str, func: Callable[[], Any]) -> Any:
        load = os.getloadavg()[0]
        self.log(f"{name} (load average {load:.1f})")
        started = time.monotonic()
        try:
            return func()
        except Exception as error:  # noqa: BLE001 - keep measuring the rest
            self.meta["errors"].append({"phase": name, "error": f"{type(error).__name__}: {error}",
                                        "trace": traceback.format_exc()[-3000:]})
            self.log(f"{name} FAILED: {type(error).__name__}: {error}")
            return None
        finally:
            self.meta["phases"][name] = {"seconds": round(time.monotonic() - started, 1),
                                         "load_average_before": round(load, 2)}

    def config_path(self, variant: str) -> Path:
        return configs.PROJECT_CONFIG if variant == PROJECT else configs.STOCK_CONFIG

    def fingerprint(self, variant: str) -> str:
        digest = hashlib.sha256()
        files = [self.config_path(variant), REPO_ROOT / "domain.yml", REPO_ROOT / "data" / "rules.yml",
                 REPO_ROOT / "data" / "stories.yml", *sorted((REPO_ROOT / "data" / "nlu").glob("*.yml"))]
        if variant == PROJECT:  # the custom component and the spaCy pipeline it and SpacyNLP use
            files += sorted((REPO_ROOT / "bot" / "nlu").glob("*.py")) + [REPO_ROOT / "bot" / "nlp.py"]
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]

    # ------------------------------------------------------------------ training
    def train_variant(self, variant: str) -> None:
        cache_models = self.settings.out_dir / "models"
        cached_model = cache_models / f"{variant}.tar.gz"
        cached_meta = cache_models / f"{variant}.json"
        fingerprint = self.fingerprint(variant)
        raw = self.raw[variant]
        if not self.settings.fresh and cached_model.exists() and cached_meta.exists():
            meta = json.loads(cached_meta.read_text())
            complete = "retrain_seconds" in meta.get("training", {}) or not self.settings.retrain
            same = meta.get("fingerprint") == fingerprint
            if complete and (same or self.settings.reuse_stale):
                self.log(f"{variant}: reusing {cached_model} ({'same config and data' if same else 'STALE'})")
                raw["training"] = {**meta.get("training", {}), "reused_from": meta.get("trained_at"),
                                   "stale": not same}
                self.models[variant] = cached_model
                return
        data = training.copy_training_data(self.tmp / f"data-{variant}")
        cache = self.tmp / f"cache-{variant}"
        out = self.tmp / "models"
        self.log(f"{variant}: rasa train, fresh cache")
        fresh = training.train_full(self.config_path(variant), data, out, variant, cache,
                                    self.tmp / f"train-{variant}.log")
        if not fresh.ok:
            raise RuntimeError(f"training {variant} failed:\n{training.tail(fresh.log)}")
        raw["training"] = {"fresh_seconds": fresh.seconds, "fresh_peak_rss_mb": fresh.peak_rss_mb,
                           "model_mb": fresh.size_mb}
        cache_models.mkdir(parents=True, exist_ok=True)
        shutil.copy2(fresh.model, cached_model)
        self.models[variant] = cached_model
        if self.settings.retrain:
            changed = training.copy_training_data(self.tmp / f"data-{variant}-changed")
            target = training.pick_nlu_file(changed.nlu)
            line = training.append_example(target)
            self.log(f"{variant}: retrain after adding {line.strip()!r} to {target.name}")
            again = training.train_full(self.config_path(variant), changed, out, f"{variant}-changed",
                                        cache, self.tmp / f"retrain-{variant}.log")
            if not again.ok:
                raise RuntimeError(f"retraining {variant} failed:\n{training.tail(again.log)}")
            raw["training"].update({"retrain_seconds": again.seconds, "retrain_peak_rss_mb": again.peak_rss_mb,
                                    "retrain_change": f"{target.name}: {line.strip()}"})
            again.model.unlink()
        cached_meta.write_text(json.dumps({"fingerprint": fingerprint, "training": raw["training"],
                                           "trained_at": time.strftime("%Y-%m-%d %H:%M")}, indent=1))

    # ------------------------------------------------------------------ xSID
    def xsid_fingerprint(self) -> str:
        digest = hashlib.sha256()
        # the project's xSID pipeline has no CatalogueEntityMatcher: SpacyNLP (bot/nlu/pipeline.py) and
        # the project's DIET (bot/nlu/intent_classifier.py) are its own code
        for path in [configs.PROJECT_CONFIG, configs.STOCK_CONFIG, Path(xsid.__file__),
                     xsid.XSID_DIR / xsid.TRAIN_FILE, xsid.XSID_DIR / xsid.TEST_FILE, REPO_ROOT / "bot" / "nlp.py",
                     REPO_ROOT / "bot" / "nlu" / "intent_classifier.py"]:
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]

    def xsid_check(self) -> None:
        cached = self.settings.out_dir / "xsid.json"
        fingerprint = self.xsid_fingerprint()
        if not self.settings.fresh and cached.exists():
            data = json.loads(cached.read_text())
            same = data.get("fingerprint") == fingerprint
            if same or self.settings.reuse_stale:
                self.log(f"xSID: reusing results from {data.get('measured_at')} "
                         f"({'same configs and data' if same else 'STALE'})")
                self.raw["xsid"] = {**data["xsid"], "reused_from": data.get("measured_at"), "stale": not same}
                return
        if not self.settings.xsid_measure:
            self.log("xSID: no earlier results for these configs; skipped (quick mode)")
            return
        self._xsid_measure()
        self.settings.out_dir.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps({"fingerprint": fingerprint, "measured_at": time.strftime("%Y-%m-%d %H:%M"),
                                      "xsid": self.raw["xsid"]}, indent=1))

    def _xsid_measure(self) -> None:
        split = xsid.convert(xsid.XSID_DIR, self.tmp / "xsid")
        self.raw["xsid"]["unseen_test_intents"] = {i: split.test_counts[i] for i in split.unseen_test_intents}
        self.raw["xsid"]["train_examples"] = sum(split.train_counts.values())
        self.raw["xsid"]["test_examples"] = sum(split.test_counts.values())
        project = configs.nlu_only(configs.without_components(configs.load(configs.PROJECT_CONFIG),
                                                              [configs.CATALOGUE_MATCHER]))
        stock = configs.nlu_only(configs.load(configs.STOCK_CONFIG))
        for variant, config in ((PROJECT, project), (STOCK, stock)):
            config_file = configs.write(configs.absolute_paths(config), self.tmp / "xsid" / f"{variant}-config.yml")
            result = training.train_nlu(config_file, split.train_yaml, self.tmp / "xsid", f"xsid-{variant}",
                                        self.tmp / "xsid" / f"cache-{variant}",
                                        self.tmp / "xsid" / f"train-{variant}.log")
            if not result.ok:
                raise RuntimeError(f"xSID training {variant} failed:\n{training.tail(result.log)}")
            out = self.tmp / "xsid" / f"result-{variant}.json"
            measured = training.run_measured(
                [sys.executable, "-m", "bot.bench.nlu_eval", str(result.model), str(split.test_json), str(out)],
                training.quiet_env(), self.tmp / "xsid" / f"eval-{variant}.log", timeout=900)
            if measured.returncode != 0:
                raise RuntimeError(f"xSID evaluation {variant} failed:\n"
                                   f"{training.tail(self.tmp / 'xsid' / f'eval-{variant}.log')}")
            evaluated = json.loads(out.read_text())
            evaluated.pop("predictions", None)
            self.raw["xsid"][variant] = {**evaluated, "train_seconds": result.seconds}
            self.log(f"xSID {variant}: {evaluated['correct']}/{evaluated['n']} "
                     f"({evaluated['fallback']} fallback), trained in {result.seconds:.0f} s")

    # ------------------------------------------------------------------ serving
    def _catalogue_db(self, folder: Path) -> str:
        from bot.catalogue.db import get_engine
        from bot.catalogue.loader import load_catalogue
        from bot.settings import catalogue_dir

        folder.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{folder / 'bot.db'}"
        load_catalogue(get_engine(url), catalogue_dir())
        return url

    def _stack(self, variant: str, name: str, endpoints: Optional[Callable] = None):
        from tests.servers import Stack

        workdir = self.tmp / f"{name}-{variant}"
        url = self._catalogue_db(workdir)
        stack = Stack(workdir, {"BOT_DATABASE_URL": url, **self.settings.rasa_env}, model=self.models[variant])
        if endpoints is not None:
            stack.endpoints_text = endpoints(stack)
        return stack

    def _evaluate(self, url: str, token: str) -> Dict[str, Any]:
        from bot.evaluation.questions import QuestionSet, load_question_set
        from bot.evaluation.runner import run_set
        from bot.evaluation.scoring import DECLINE, MEASURE
        from bot.rasa_api import RasaClient

        questions = QuestionSet(load_question_set(QUESTIONS).questions[:: self.settings.eval_every])
        # Every question is a fresh conversation, so a few at a time gives the same answers sooner;
        # a failed request counts as a wrong answer and is reported.
        with RasaClient(url, token, timeout=120) as client:
            results = run_set(client, questions, workers=4, keep_going=True)
        in_scope, declined = results.rate(MEASURE), results.rate(DECLINE)
        return {"in_scope_correct": in_scope["hits"], "in_scope_n": in_scope["total"],
                "oos_correct": declined["hits"], "oos_n": declined["total"],
                "failed_requests": results.errors,
                "in_scope_pct": in_scope["pct"], "oos_pct": declined["pct"],
                "confusions": [f"{e} -> {g}: {n}" for (e, g), n in results.confusions().most_common(15)]}

    def _sequential(self, url: str) -> Dict[str, Any]:
        from bot.bench import load

        runs = []
        for _ in range(self.settings.repeat):
            result = load.sequential(url, self.settings.latency_count, self.settings.warmup)
            runs.append({"summary": result.summary(), "errors": result.errors,
                         "intended": result.intended(EXPECTED_MEASURE)})
        return self._median_runs(runs)

    def _load(self, url: str) -> Dict[str, Any]:
        from bot.bench import load

        runs = [load.load(url, self.settings.users, self.settings.load_seconds).summary()
                for _ in range(self.settings.repeat)]
        if len(runs) == 1:
            return runs[0]
        merged = {k: median_of_runs([r[k] for r in runs]) for k in ("throughput", "p50", "p95", "p99", "errors")}
        return {**merged, "runs": runs}

    @staticmethod
    def _median_runs(runs: List[Dict[str, Any]]) -> Dict[str, Any]:
        if len(runs) == 1:
            return runs[0]
        summary = {s: {k: median_of_runs([r["summary"][s][k] for r in runs]) for k in ("n", "p50", "p95", "p99", "mean")}
                   for s in runs[0]["summary"]}
        return {"summary": summary, "errors": sum(r["errors"] for r in runs),
                "intended": runs[-1]["intended"], "runs": runs}

    def serve(self, variant: str) -> None:
        """One variant on the production endpoints (PostgreSQL tracker store in a fresh database,
        Redis lock store): start-up, memory, accuracy, sequential latency and load on one Rasa
        server; then a second server joins behind nginx for the two-server load."""
        from bot.bench import load
        from bot.bench.nginx import Nginx
        from bot.bench.postgres import FreshDatabase
        from tests.servers import free_port, wait_until

        raw = self.raw[variant]
        database = FreshDatabase()
        database.create()
        stack = self._stack(variant, "serve")
        stack.endpoints_text, endpoint_env, raw["endpoints"] = database.production_endpoints(
            stack.actions_url)
        stack.env.update(endpoint_env)
        nginx = None
        try:
            started = time.monotonic()
            actions = stack.start_actions()
            raw["actions_start_s"] = time.monotonic() - started
            started = time.monotonic()
            rasa = stack.spawn_rasa()
            stack.wait_rasa(rasa)
            raw["rasa_model_loaded_s"] = time.monotonic() - started
            first = load.first_answer(stack.rasa_url)
            raw["rasa_first_answer_s"] = time.monotonic() - started if first.ok else None
            raw["rss_after_start_mb"] = {"rasa": rss_mb(rasa.pid), "actions": rss_mb(actions.pid)}
            self.log(f"{variant}: first answer after {raw['rasa_first_answer_s'] or float('nan'):.1f} s; "
                     f"evaluating questions")
            raw["evaluation"] = self._evaluate(stack.rasa_url, stack.rasa_token)
            self.log(f"{variant}: {raw['evaluation']['in_scope_pct']:.1f} % in scope, "
                     f"{raw['evaluation']['oos_pct']:.1f} % out of scope; sequential latency")
            raw["sequential"] = self._sequential(stack.rasa_url)
            self.log(f"{variant}: load, {self.settings.users} users, {self.settings.load_seconds:.0f} s, one server")
            meter = CpuMeter({"rasa": rasa.pid, "actions": actions.pid})
            raw["load_1"] = self._load(stack.rasa_url)
            raw["load_1"]["cpu_percent"] = meter.percent()
            raw["rss_after_load_mb"] = {"rasa": rss_mb(rasa.pid), "actions": rss_mb(actions.pid)}
            if not self.settings.two_servers:
                return
            second_port = free_port()
            second = stack.spawn_rasa(second_port, "rasa2")
            stack.wait_rasa(second, second_port)
            load.sequential(f"http://127.0.0.1:{second_port}", 0, 3)  # warm-up
            nginx = Nginx(self.tmp / f"nginx-{variant}", free_port(),
                          [f"127.0.0.1:{stack.rasa_port}", f"127.0.0.1:{second_port}"])
            nginx.start()
            raw["nginx_config"] = nginx.config_source
            wait_until(lambda: load.first_answer(nginx.url).ok, 30, "nginx upstream")
            self.log(f"{variant}: load, two servers behind nginx")
            meter = CpuMeter({"rasa": rasa.pid, "rasa2": second.pid, "actions": actions.pid})
            raw["load_2"] = self._load(nginx.url)
            raw["load_2"]["cpu_percent"] = meter.percent()
            raw["rss_two_servers_after_load_mb"] = [rss_mb(rasa.pid), rss_mb(second.pid)]
        except Exception:
            self.meta.setdefault("logs", {})[variant] = stack.logs()[-4000:]
            raise
        finally:
            if nginx is not None:
                nginx.stop()
            stack.stop()
            database.drop()

    # ------------------------------------------------------------------ whole run
    def run(self) -> List[Row]:
        settings = self.settings
        _import_test_servers()
        self.meta.update({
            "started_at": time.strftime("%Y-%m-%d %H:%M:%S"), "quick": settings.quick,
            "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(settings).items()},
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "load_average_start": os.getloadavg()},
            "git_commit": _git_commit(), "fingerprints": {v: self.fingerprint(v) for v in VARIANTS},
        })
        try:
            for variant in VARIANTS:
                self.phase(f"train {variant}", lambda v=variant: self.train_variant(v))
            if settings.xsid:
                self.phase("xSID", self.xsid_check)
            if settings.serve:
                for variant in VARIANTS:
                    if variant not in self.models:
                        continue
                    self.phase(f"serve {variant}", lambda v=variant: self.serve(v))
        finally:
            if not settings.keep_tmp:
                shutil.rmtree(self.tmp, ignore_errors=True)
        self.meta["seconds"] = round(time.monotonic() - self.started, 1)
        self.meta["machine"]["load_average_end"] = os.getloadavg()
        return build_rows(self.raw, settings)

    def write(self, rows: List[Row]) -> str:
        title = ("Benchmark: project (config.yml) vs stock (Rasa 3.6 default config, language nl)"
                 + ("  [QUICK: smoke test, not comparable]" if self.settings.quick else ""))
        table = render(rows, title)
        write_json(self.settings.out_dir / "results.json", rows, self.meta, self.raw)
        (self.settings.out_dir / "results.txt").write_text(table + "\n", encoding="utf-8")
        return table


def _import_test_servers() -> None:
    """tests/servers.py (the Stack that starts the real servers) lives outside the package."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))


def _git_commit() -> Optional[str]:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _get(data: Dict[str, Any], *path: str) -> Optional[float]:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data if isinstance(data, (int, float)) and not isinstance(data, bool) else None


def build_rows(raw: Dict[str, Any], settings: Settings) -> List[Row]:
    """The table rows from the raw measurements of both variants (missing values stay n/a)."""
    p, s = raw.get(PROJECT, {}), raw.get(STOCK, {})
    rows: List[Row] = []

    def add(section: str, key: str, label: str, unit: str, path, better: Optional[str] = "lower",
            note: str = "", scale: float = 1.0) -> None:
        def value(side):
            v = _get(side, *path)
            return None if v is None else v * scale
        rows.append(Row(section, key, label, unit, value(p), value(s), better, note))

    n_in = _get(p, "evaluation", "in_scope_n") or _get(s, "evaluation", "in_scope_n")
    n_oos = _get(p, "evaluation", "oos_n") or _get(s, "evaluation", "oos_n")
    section = f"Accuracy: tests/evaluation/questions.yml ({n_in or '?'} in scope, {n_oos or '?'} out of scope)"
    add(section, "accuracy.primary_measure", "primary measure correct (in scope)", "%",
        ("evaluation", "in_scope_pct"), "higher")
    add(section, "accuracy.out_of_scope", "out of scope declined (names no measure)", "%",
        ("evaluation", "oos_pct"), "higher")

    x = raw.get("xsid", {})
    section = (f"External NLU: xSID nl, train nl.valid ({x.get('train_examples', '?')}), "
               f"test nl.test ({x.get('test_examples', '?')})")
    unseen = x.get("unseen_test_intents") or {}
    xsid_note = ("project = config.yml pipeline WITHOUT CatalogueEntityMatcher (domain-specific); "
                 "intents only, no slots" + (f"; {sum(unseen.values())} test utterances have an intent absent "
                                             f"from training ({', '.join(unseen)})" if unseen else "")
                 + (f"; measured by the run of {x['reused_from']} and reused"
                    + (" (STALE: configs changed since)" if x.get("stale") else " (configs and data unchanged)")
                    if x.get("reused_from") else ""))
    for key, label, field_ in (("xsid.intent", "intent accuracy (as served, nlu_fallback = wrong)", "correct"),
                               ("xsid.intent_top", "intent accuracy (classifier, fallback ignored)",
                                "correct_top_intent")):
        def acc(variant, f=field_):
            v = x.get(variant) or {}
            return 100.0 * v[f] / v["n"] if v.get("n") else None
        rows.append(Row(section, key, label, "%", acc(PROJECT), acc(STOCK), "higher", xsid_note))
    rows.append(Row(section, "xsid.train", "NLU-only training time (rasa train nlu)", "s",
                    (x.get(PROJECT) or {}).get("train_seconds"), (x.get(STOCK) or {}).get("train_seconds"),
                    "lower", xsid_note))

    section = (f"Latency, sequential, {settings.latency_count} each after {settings.warmup} warm-up "
               f"(catalogue question opens a conversation, follow-up is its 2nd turn, 'hallo' opens another)")
    for scenario, label in (("catalogue", "catalogue answer"), ("followup", "follow-up (2nd turn)"),
                            ("plain", "plain answer 'hallo'")):
        for q in ("p50", "p95", "p99"):
            add(section, f"latency.{scenario}.{q}", f"{label} {q}", "ms", ("sequential", "summary", scenario, q),
                note=SERVING_NOTE)
    add(section, "latency.catalogue.intended", f"catalogue answer is about {EXPECTED_MEASURE}", "%",
        ("sequential", "intended", "catalogue"), "higher", scale=100.0)
    add(section, "latency.followup.intended", "follow-up answers who qualifies (aspect eligibility)", "%",
        ("sequential", "intended", "followup"), "higher", scale=100.0)

    section = (f"Load: {settings.users} concurrent users, {settings.load_seconds:.0f} s each "
               f"(3-message conversations; one action server)")
    for key, label in (("load_1", "1 Rasa server"), ("load_2", "2 Rasa servers + nginx")):
        add(section, f"{key}.throughput", f"{label}: throughput", "msg/s", (key, "throughput"), "higher",
            SERVING_NOTE)
        for q in ("p50", "p95", "p99"):
            add(section, f"{key}.{q}", f"{label}: latency {q}", "ms", (key, q), note=SERVING_NOTE)
        add(section, f"{key}.errors", f"{label}: errors", "count", (key, "errors"), note=SERVING_NOTE)
        add(section, f"{key}.cpu.actions", f"{label}: action server CPU", "%", (key, "cpu_percent", "actions"),
            None, CPU_NOTE)
        add(section, f"{key}.cpu.rasa", f"{label}: Rasa server CPU" + (" (first)" if key == "load_2" else ""), "%",
            (key, "cpu_percent", "rasa"), None, CPU_NOTE)

    section = "Memory (resident set size)"
    add(section, "rss.rasa.start", "Rasa server after start", "MB", ("rss_after_start_mb", "rasa"))
    add(section, "rss.rasa.load", "Rasa server after load", "MB", ("rss_after_load_mb", "rasa"))
    add(section, "rss.actions.start", "action server after start", "MB", ("rss_after_start_mb", "actions"))
    add(section, "rss.actions.load", "action server after load", "MB", ("rss_after_load_mb", "actions"))

    section = "Start-up"
    add(section, "startup.rasa", "Rasa server: process start -> first answer", "s", ("rasa_first_answer_s",))
    add(section, "startup.actions", "action server: process start -> /health", "s", ("actions_start_s",))

    reused = sorted({t for t in ((p.get("training") or {}).get("reused_from"),
                                 (s.get("training") or {}).get("reused_from")) if t})
    stale = any((side.get("training") or {}).get("stale") for side in (p, s))
    train_note = ""
    if reused and stale:
        train_note = (f"STALE: models and training numbers from the run of {' / '.join(reused)}; config or data "
                      f"changed since (--reuse-stale); the models served were trained on that older data")
    elif reused:
        train_note = (f"measured by the run of {' / '.join(reused)} and reused: config, domain, data and bot/nlu "
                      f"unchanged since (python -m bot bench --fresh measures again)")
    section = "Training (rasa train on a temp copy of the data, empty cache, models to a temp dir)"

    def add_train(key: str, label: str, unit: str, path) -> None:
        add(section, key, label, unit, path, note=train_note)

    add_train("train.fresh", "full training, no cache", "s", ("training", "fresh_seconds"))
    add_train("train.retrain", "retraining after one added NLU example", "s", ("training", "retrain_seconds"))
    add_train("train.peak_rss", "training peak RSS", "MB", ("training", "fresh_peak_rss_mb"))
    add_train("train.model_size", "model size (tar.gz)", "MB", ("training", "model_mb"))
    return rows
