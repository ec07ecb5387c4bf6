"""Resident memory of a process (and its children): psutil when installed, else /proc."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

MB = 1024 * 1024


def _children_proc(pid: int) -> List[int]:
    children: List[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return children


def parse_vmrss(status_text: str) -> Optional[int]:
    """Bytes from the `VmRSS:  1234 kB` line of /proc/<pid>/status."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            parts = line.split()
            return int(parts[1]) * 1024
    return None


def _rss_proc(pid: int) -> Optional[int]:
    try:
        return parse_vmrss(Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None


def rss_bytes(pid: int, include_children: bool = True) -> Optional[int]:
    """Resident set size in bytes, summed over the process tree; None if it is gone."""
    try:
        import psutil  # type: ignore
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            process = psutil.Process(pid)
            total = process.memory_info().rss
            if include_children:
                for child in process.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except psutil.Error:
                        pass
            return total
        except psutil.Error:
            return None
    total = _rss_proc(pid)
    if total is None:
        return None
    if include_children:
        pending = _children_proc(pid)
        while pending:
            child = pending.pop()
            total += _rss_proc(child) or 0
            pending += _children_proc(child)
    return total


def rss_mb(pid: int) -> Optional[float]:
    value = rss_bytes(pid)
    return None if value is None else value / MB


def cpu_seconds(pid: int) -> Optional[float]:
    """User + system CPU time of a process (all its threads) from /proc/<pid>/stat."""
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15)


class CpuMeter:
    """CPU use of some processes over a stretch of wall time, in % of one core."""

    def __init__(self, pids: dict) -> None:
        import time

        self.pids = pids
        self._time = time.monotonic
        self.start = {name: cpu_seconds(pid) for name, pid in pids.items()}
        self.started = self._time()

    def percent(self) -> dict:
        wall = self._time() - self.started
        out = {}
        for name, pid in self.pids.items():
            now, before = cpu_seconds(pid), self.start.get(name)
            out[name] = None if now is None or before is None or wall <= 0 else 100.0 * (now - before) / wall
        return out
