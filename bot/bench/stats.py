"""Percentiles, medians and ratios for the benchmark table."""
from __future__ import annotations

import math
from typing import Dict, Iterable, List, Optional, Sequence


def percentile(values: Iterable[float], q: float) -> Optional[float]:
    """The q-th percentile (0..100) with linear interpolation between closest ranks (numpy's
    default); None for no values."""
    data: List[float] = sorted(values)
    if not data:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    position = (len(data) - 1) * q / 100.0
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return data[low]
    return data[low] + (data[high] - data[low]) * (position - low)


def median(values: Iterable[float]) -> Optional[float]:
    return percentile(values, 50)


def ratio(project: Optional[float], stock: Optional[float]) -> Optional[float]:
    """project / stock; None when either side is missing or stock is zero."""
    if project is None or stock is None or stock == 0:
        return None
    return project / stock


def latency_summary(milliseconds: Sequence[float]) -> Dict[str, Optional[float]]:
    return {
        "n": len(milliseconds),
        "p50": percentile(milliseconds, 50),
        "p95": percentile(milliseconds, 95),
        "p99": percentile(milliseconds, 99),
        "mean": (sum(milliseconds) / len(milliseconds)) if milliseconds else None,
    }


def median_of_runs(runs: Sequence[Optional[float]]) -> Optional[float]:
    """The median of repeated measurements, ignoring failed (None) runs."""
    return median([r for r in runs if r is not None])
