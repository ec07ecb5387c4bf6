"""The whole benchmark: train both variants, the NLU checks, then serve each variant and measure.

Every phase is guarded: one that fails leaves its rows at n/a and its error in the JSON's
meta.errors, and the rest still runs. Nothing outside a temporary folder and the output folder
(var/bench/) is written. Trained models, xSID and cross-validation results are kept there and
reused while what they depend on is unchanged (its fingerprint).
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from bench import nlu, training
from bench.rows import ablation, build_rows, render_ablation
from bench.serve import QUESTION_SETS, serve
from bench.table import render, write_results
from bench.settings import STEPS, Settings
from bench.training import CONFIGS, PROJECT, STOCK, VARIANTS, fingerprint, training_inputs
from bot.settings import REPO_ROOT

class Bench:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started = time.monotonic()
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-"))
        self.raw: Dict[str, Any] = {PROJECT: {}, STOCK: {}, "xsid": {}, "cv": {}}
        self.meta: Dict[str, Any] = {"errors": [], "notes": [], "phases": {}}
        self.models: Dict[str, Path] = {}

    def log(self, message: str) -> None:
        elapsed = int(time.monotonic() - self.started)
        print(f"[bench {elapsed // 60:02d}:{elapsed % 60:02d}] {message}", file=sys.stderr, flush=True)

    def note(self, message: str) -> None:
        self.meta["notes"].append(message)
        self.log(message)

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

    # ------------------------------------------------------------------ results kept between runs
    def reuse(self, name: str, inputs: str) -> Optional[Dict[str, Any]]:
        path = self.settings.out_dir / f"{name}.json"
        if self.settings.fresh or not path.exists():
            return None
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept.get("fingerprint") != inputs:
            return None
        self.log(f"{name}: reusing the results of {kept['measured_at']} (inputs unchanged)")
        return {**kept["result"], "reused_from": kept["measured_at"]}

    def keep(self, name: str, inputs: str, result: Dict[str, Any]) -> None:
        self.settings.out_dir.mkdir(parents=True, exist_ok=True)
        (self.settings.out_dir / f"{name}.json").write_text(json.dumps(
            {"fingerprint": inputs, "measured_at": time.strftime("%Y-%m-%d %H:%M"), "result": result}, indent=1))

    # ------------------------------------------------------------------ steps
    def train(self, variant: str, env: Dict[str, str]) -> None:
        inputs = fingerprint(training_inputs(variant))
        model = self.settings.out_dir / "models" / f"{variant}.tar.gz"
        kept = self.reuse(f"train-{variant}", inputs)
        if kept and model.exists() and ("retrain_seconds" in kept or not self.settings.retrain):
            self.raw[variant]["training"], self.models[variant] = kept, model
            return
        data = training.copy_data(self.tmp / f"data-{variant}")
        cache, out = self.tmp / f"cache-{variant}", self.tmp / "models"
        fresh = training.train(CONFIGS[variant], data, out / f"{variant}.tar.gz", cache,
                               self.tmp / f"train-{variant}.log", env)
        result = {"fresh_seconds": fresh.seconds, "fresh_peak_rss_mb": fresh.peak_rss_mb,
                  "model_mb": (out / f"{variant}.tar.gz").stat().st_size / 2 ** 20}
        model.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(out / f"{variant}.tar.gz", model)
        self.models[variant] = model
        if self.settings.retrain:
            change = training.add_one_example(data)
            self.log(f"{variant}: retraining after adding {change!r}")
            again = training.train(CONFIGS[variant], data, out / f"{variant}-changed.tar.gz", cache,
                                   self.tmp / f"retrain-{variant}.log", env)
            result.update(retrain_seconds=again.seconds, retrain_peak_rss_mb=again.peak_rss_mb,
                          retrain_change=change)
        self.raw[variant]["training"] = result
        self.keep(f"train-{variant}", inputs, result)

    def xsid(self) -> None:
        if not nlu.XSID_DIR.is_dir():
            return self.note("xSID: ../shared/benchmarks/xsid-nl not found, skipped")
        inputs = fingerprint([*CONFIGS.values(), nlu.XSID_DIR / nlu.XSID_TRAIN, nlu.XSID_DIR / nlu.XSID_TEST,
                              *sorted((REPO_ROOT / "bot" / "nlu").glob("*.py"))])
        kept = self.reuse("xsid", inputs)
        if kept is None and not self.settings.measure_nlu:
            return self.note("xSID: no earlier result for these configs (a run without --quick measures it)")
        self.raw["xsid"] = kept or nlu.xsid(self.tmp / "xsid")
        if kept is None:
            self.keep("xsid", inputs, self.raw["xsid"])

    def cross_validation(self, env: Dict[str, str]) -> None:
        inputs = fingerprint(training_inputs(PROJECT))
        kept = self.reuse("cross-validation", inputs)
        if kept is None and not self.settings.measure_nlu:
            return self.note("cross-validation: no earlier result for this config and data "
                             "(a run without --quick measures it)")
        self.raw["cv"] = kept or nlu.cross_validation(self.tmp / "cv", training.copy_data(self.tmp / "data-cv"), env)
        if kept is None:
            self.keep("cross-validation", inputs, self.raw["cv"])

    def catalogue(self) -> Dict[str, str]:
        """A copy of the catalogue in a SQLite file of its own, for training and serving."""
        from bot.catalogue.db import get_engine
        from bot.catalogue.loader import load_catalogue
        from bot.settings import catalogue_dir

        url = f"sqlite:///{self.tmp / 'catalogue.db'}"
        load_catalogue(get_engine(url), catalogue_dir())
        return {"BOT_DATABASE_URL": url}

    def run(self) -> str:
        settings = self.settings
        self.meta.update(started_at=time.strftime("%Y-%m-%d %H:%M:%S"), git_commit=_git_commit(),
                         settings={k: sorted(v) if isinstance(v, frozenset) else v
                                   for k, v in asdict(settings).items()},
                         machine={"cpus": os.cpu_count(), "python": platform.python_version()})
        for name, path in QUESTION_SETS.items():
            if not path.exists():
                self.note(f"{name} set: {path} not found, skipped")
        try:
            env = self.catalogue()
            for variant in settings.variants:
                self.phase(f"train {variant}", lambda v=variant: self.train(v, env))
            if "xsid" not in settings.skip:
                self.phase("xSID", self.xsid)
            if "cv" not in settings.skip:
                self.phase("cross-validation", lambda: self.cross_validation(env))
            for variant in (v for v in VARIANTS if v in self.models):
                self.phase(f"serve {variant}", lambda v=variant: serve(
                    v, self.models[v], settings, self.tmp / f"serve-{v}", env, self.raw[v], self.phase, self.log))
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
        self.meta["seconds"] = round(time.monotonic() - self.started, 1)
        return self.write()

    def write(self) -> str:
        rows = build_rows(self.raw, self.settings)
        lines = ablation(self.raw)
        title = ("Benchmark: project (config.yml) vs stock (Rasa 3.6 default config, language nl)"
                 + ("  [QUICK: smoke run, numbers not comparable]" if self.settings.quick else ""))
        text = "\n\n".join(part for part in (render(rows, title), render_ablation(lines)) if part)
        if self.meta["notes"]:
            text += "\n\nNotes:\n" + "\n".join(f"- {n}" for n in self.meta["notes"])
        write_results(self.settings.out_dir, text, rows, {"ablation": lines, "meta": self.meta, "raw": self.raw})
        return text


def _git_commit() -> Optional[str]:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None
