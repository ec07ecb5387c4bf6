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
