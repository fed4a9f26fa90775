"""The PNG: latency by turn index over a long conversation, and by number of users."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {"project": "#1b7837", "stock": "#762a83"}


def plot(result: dict[str, Any], path: Path) -> Path:
    """Draw both bots (whichever were measured) and save the figure."""
    fig, (by_turn, by_users) = plt.subplots(1, 2, figsize=(12, 4.5))
    for name in ("project", "stock"):
        side = result.get(name)
        if not side:
            continue
        colour = COLOURS[name]
        per_turn = (side.get("long") or {}).get("per_turn_ms") or []
        points = [(i + 1, v) for i, v in enumerate(per_turn) if v is not None]
        if points:
            xs, ys = zip(*points, strict=True)
            by_turn.plot(xs, ys, color=colour, label=name, linewidth=1.2)
        phases = side.get("phases") or {}
        users = sorted(phases, key=int)
        for stat, style in (("p50_ms", "-"), ("p95_ms", "--")):
            pairs = [(int(u), phases[u][stat]) for u in users if phases[u].get(stat) is not None]
            if pairs:
                xs, ys = zip(*pairs, strict=True)
                by_users.plot(xs, ys, style, marker="o", color=colour,
                              label=f"{name} {stat.replace('_ms', '')}")
    by_turn.set(title="Latency by turn index (one long conversation, median of runs)",
                xlabel="turn", ylabel="ms")
    by_turn.set_ylim(bottom=0)
    by_users.set(title="Latency per turn by concurrent users", xlabel="users", ylabel="ms")
    by_users.set_yscale("log")
    levels = sorted({int(u) for n in ("project", "stock") for u in (result.get(n) or {}).get(
        "phases", {})})
    if levels:
        by_users.set_xticks(levels)
    for ax in (by_turn, by_users):
        ax.grid(True, alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend()
    fig.suptitle(f"{result.get('mode', '')} run {result.get('when', '')}", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
