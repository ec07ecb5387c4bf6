"""What the benchmark measures of a process: wall time and peak memory of a command, resident
memory and CPU time of a running process tree (psutil), and latency percentiles."""
from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Optional, Sequence

import psutil

from bot.settings import REPO_ROOT

MB = 1024 * 1024


def quiet_env(**extra: str) -> Dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **extra}


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: Optional[float]
    returncode: int
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, chars: int = 2000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


def run_measured(args: Sequence[str], log: Path, timeout: float, env: Optional[Dict[str, str]] = None) -> Measured:
    """Run a command to completion from the repository root; its wall time and peak resident
    memory (the kernel's maxrss of the waited-for child); killed after `timeout` seconds."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        started = time.monotonic()
        process = subprocess.Popen([str(a) for a in args], cwd=REPO_ROOT, env=env or quiet_env(), stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                return Measured(time.monotonic() - started, usage.ru_maxrss * 1024 / MB, process.returncode, log)
            if time.monotonic() - started > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return Measured(time.monotonic() - started, None, -9, log)
            time.sleep(0.2)


def _tree_sum(pid: int, value: Callable[[psutil.Process], float]) -> Optional[float]:
    """`value` summed over a process and its children; None when the process is gone."""
    try:
        process = psutil.Process(pid)
        total = value(process)
        children = process.children(recursive=True)
    except psutil.Error:
        return None
    for child in children:
        with contextlib.suppress(psutil.Error):  # a child may end meanwhile
            total += value(child)
    return total


def rss_mb(pid: int) -> Optional[float]:
    total = _tree_sum(pid, lambda p: p.memory_info().rss)
    return None if total is None else total / MB


def cpu_seconds(pid: int) -> Optional[float]:
    return _tree_sum(pid, lambda p: sum(p.cpu_times()[:2]))


class CpuMeter:
    """CPU time of some process trees over a stretch of wall time, in % of one core."""

    def __init__(self, pids: Dict[str, int]) -> None:
        self.pids = pids
        self.start = {name: cpu_seconds(pid) for name, pid in pids.items()}
        self.started = time.monotonic()

    def percent(self) -> Dict[str, Optional[float]]:
        wall = time.monotonic() - self.started
        out: Dict[str, Optional[float]] = {}
        for name, pid in self.pids.items():
            now, before = cpu_seconds(pid), self.start[name]
            out[name] = None if now is None or before is None or wall <= 0 else 100.0 * (now - before) / wall
        return out


def latency_summary(milliseconds: Sequence[float]) -> Dict[str, Optional[float]]:
    """n, median, p95 (interpolated between closest ranks, as numpy does) and mean."""
    values = list(milliseconds)
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else \
        (values[0] if values else None)
    return {"n": len(values), "p50": statistics.median(values) if values else None, "p95": p95,
            "mean": statistics.fmean(values) if values else None}
