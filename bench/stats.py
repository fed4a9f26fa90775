"""Percentiles and summaries of measured latencies (pure functions)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median


def percentile(values: Sequence[float], pct: float) -> float | None:
    """The pct-th percentile with linear interpolation (like numpy's default); None if empty."""
    if not values:
        return None
    if not 0 <= pct <= 100:
        raise ValueError("pct must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(latencies_s: Sequence[float]) -> dict[str, float | None]:
    """p50/p95/p99/mean/max in milliseconds."""
    ms = [v * 1000 for v in latencies_s]

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    return {
        "p50_ms": rounded(percentile(ms, 50)),
        "p95_ms": rounded(percentile(ms, 95)),
        "p99_ms": rounded(percentile(ms, 99)),
        "mean_ms": rounded(sum(ms) / len(ms)) if ms else None,
        "max_ms": rounded(max(ms)) if ms else None,
    }


def per_turn_median(runs: Sequence[Sequence[float | None]]) -> list[float | None]:
    """Median latency (ms) at each turn index over repeated long conversations."""
    length = max((len(r) for r in runs), default=0)
    medians: list[float | None] = []
    for i in range(length):
        values = [v * 1000 for r in runs if i < len(r) and (v := r[i]) is not None]
        medians.append(round(median(values), 1) if values else None)
    return medians


def mean_of(values: Sequence[float | None]) -> float | None:
    """Mean of the values that are not None."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def growth(per_turn_ms: Sequence[float | None], window: int = 5) -> dict[str, float | None]:
    """Latency at the start and the end of a long conversation, and their ratio.

    Single turns are noisy, so "turn 1" is the mean of the first ``window`` turns and
    "last turn" the mean of the last ``window``.
    """
    first = mean_of(per_turn_ms[:window])
    last = mean_of(per_turn_ms[-window:])
    ratio = last / first if first and last is not None else None
    return {
        "window": window,
        "first_turns_ms": None if first is None else round(first, 1),
        "last_turns_ms": None if last is None else round(last, 1),
        "ratio": None if ratio is None else round(ratio, 2),
    }


def bands(per_turn_ms: Sequence[float | None], size: int = 10) -> list[dict[str, object]]:
    """Mean latency per band of ``size`` turns (turns 1-10, 11-20, ...)."""
    found: list[dict[str, object]] = []
    for start in range(0, len(per_turn_ms), size):
        value = mean_of(per_turn_ms[start : start + size])
        found.append(
            {
                "turns": f"{start + 1}-{min(start + size, len(per_turn_ms))}",
                "mean_ms": None if value is None else round(value, 1),
            }
        )
    return found
