"""What one bench run measures and how much: the full run, or the quick smoke run."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import FrozenSet, Tuple

from bench.training import VARIANTS
from bot.settings import REPO_ROOT

STEPS = ("xsid", "cv", "hostile", "two-servers", "ablation")  # steps that --skip can leave out


@dataclass
class Settings:
    quick: bool = False
    fresh: bool = False  # measure training, xSID and cross-validation again even when unchanged
    skip: FrozenSet[str] = frozenset()
    variants: Tuple[str, ...] = VARIANTS  # which configurations are trained and served
    out_dir: Path = REPO_ROOT / "var" / "bench"
    latency_count: int = 200
    warmup: int = 10
    users: int = 20
    load_seconds: float = 30.0
    eval_every: int = 1  # every n-th question and conversation of a set
    retrain: bool = True
    measure_nlu: bool = True  # False: xSID and cross-validation only when an earlier result fits
    hostile_latency_count: int = 100
    hostile_messages: int = 20000
    hostile_max_seconds: float = 3600.0

    def quick_run(self) -> "Settings":
        return replace(self, quick=True, latency_count=20, warmup=3, load_seconds=5.0, eval_every=5,
                       retrain=False, measure_nlu=False, hostile_latency_count=5, hostile_messages=300,
                       hostile_max_seconds=120.0)
