"""The comparison table (project vs stock, with ratios and targets), latest.json and history.csv."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HISTORY_KEEP = 50
Side = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """A goal for one line: on the ratio project/stock, or on the project's own value."""

    kind: str  # "ratio_le", "ratio_ge", "le", "eq"
    value: float

    def describe(self) -> str:
        """How the target reads in the table."""
        return {
            "ratio_le": f"ratio <= {self.value:g}",
            "ratio_ge": f"ratio >= {self.value:g}",
            "le": f"<= {self.value:g}",
            "eq": f"= {self.value:g}",
        }[self.kind]

    def met(self, project: float | None, ratio: float | None) -> bool | None:
        """True/False, or None when there is nothing to judge (a side was not measured)."""
        if self.kind.startswith("ratio"):
            if ratio is None:
                return None
            return ratio <= self.value if self.kind == "ratio_le" else ratio >= self.value
        if project is None:
            return None
        return project <= self.value if self.kind == "le" else project == self.value


def dig(side: Side | None, *keys: str) -> Any:
    """side[k1][k2]..., or None if any step is missing."""
    value: Any = side
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def ratio(project: float | None, stock: float | None) -> float | None:
    """project/stock, or None if either is missing or stock is 0."""
    if project is None or stock is None or stock == 0:
        return None
    return project / stock


Line = tuple[str, Callable[[Side | None], Any], Target | None]


def lines_for(users: list[int]) -> list[Line]:
    """The metrics in table order."""
    lines: list[Line] = []
    for n in users:
        key = str(n)
        who = f"{n} user{'s' if n != 1 else ''}"
        for stat in ("p50_ms", "p95_ms", "p99_ms"):
            target = None
            if stat == "p95_ms" and n == 1:
                target = Target("ratio_le", 1.0)
            if stat == "p95_ms" and n == 20:
                target = Target("ratio_le", 0.5)
            label = f"{who}: {stat.replace('_ms', '')} ms"
            lines.append((label, _get("phases", key, stat), target))
        lines.append(
            (f"{who}: messages/s", _get("phases", key, "msgs_per_s"),
             Target("ratio_ge", 2.0) if n == 20 else None)
        )
        lines.append(
            (f"{who}: errors", _get("phases", key, "errors"),
             Target("eq", 0) if n == 50 else None)
        )
    lines += [
        ("memory: all processes MB (peak)", _get("memory", "peak_total_mb"), None),
        ("memory: largest Rasa process MB", _get("memory", "max_rasa_process_mb"),
         Target("le", 1200)),
        ("start-up to first answer s", _get("startup_s"), Target("le", 30)),
        ("training s", _get("train_s"), Target("le", 180)),
        ("long chat: first turns ms (mean)", _get("long", "growth", "first_turns_ms"), None),
        ("long chat: last turns ms (mean)", _get("long", "growth", "last_turns_ms"), None),
        ("long chat: last/first turns", _get("long", "growth", "ratio"), Target("le", 1.2)),
    ]
    return lines


def _get(*keys: str) -> Callable[[Side | None], Any]:
    return lambda side: dig(side, *keys)


def build_rows(project: Side, stock: Side | None) -> list[dict[str, Any]]:
    """One row per metric: both values, the ratio project/stock, the target and whether met."""
    users = sorted(
        {int(k) for side in (project, stock) if side for k in (side.get("phases") or {})}
    )
    rows = []
    for name, get, target in lines_for(users):
        p, s = get(project), get(stock)
        r = ratio(p, s)
        rows.append(
            {
                "metric": name,
                "project": p,
                "stock": s,
                "ratio": None if r is None else round(r, 2),
                "target": target.describe() if target else "",
                "met": target.met(p, r) if target else None,
            }
        )
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.0f}"
    return str(value)


def format_table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table; also valid Markdown."""
    head = ["metric", "project", "stock", "project/stock", "target", "met"]
    body = [
        [
            r["metric"], _cell(r["project"]), _cell(r["stock"]), _cell(r["ratio"]), r["target"],
            {True: "yes", False: "NO", None: ""}[r["met"]],
        ]
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]

    def line(cells: list[str]) -> str:
        parts = [
            c.ljust(w) if i in (0, 4) else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join(
        "-" * (w + 1) + (":" if i not in (0, 4) else "-") for i, w in enumerate(widths)
    ) + "|"
    return "\n".join([line(head), rule, *(line(b) for b in body)])


def write_json(path: Path, result: dict[str, Any]) -> None:
    """Write the whole result as pretty JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1, sort_keys=False) + "\n", encoding="utf-8")


HISTORY_FIELDS = [
    "when", "commit", "mode",
    *(f"{side}_{m}" for side in ("project", "stock") for m in (
        "p95_1_ms", "p95_20_ms", "msgs_s_20", "errors_50", "rss_max_rasa_mb", "rss_total_mb",
        "startup_s", "train_s", "long_ratio",
    )),
]


def history_row(result: dict[str, Any]) -> dict[str, Any]:
    """The few numbers of a run worth keeping side by side over time."""
    row: dict[str, Any] = {k: result.get(k, "") for k in ("when", "commit", "mode")}
    for name in ("project", "stock"):
        side = result.get(name)
        values = {
            "p95_1_ms": dig(side, "phases", "1", "p95_ms"),
            "p95_20_ms": dig(side, "phases", "20", "p95_ms"),
            "msgs_s_20": dig(side, "phases", "20", "msgs_per_s"),
            "errors_50": dig(side, "phases", "50", "errors"),
            "rss_max_rasa_mb": dig(side, "memory", "max_rasa_process_mb"),
            "rss_total_mb": dig(side, "memory", "peak_total_mb"),
            "startup_s": dig(side, "startup_s"),
            "train_s": dig(side, "train_s"),
            "long_ratio": dig(side, "long", "growth", "ratio"),
        }
        row.update({f"{name}_{k}": "" if v is None else v for k, v in values.items()})
    return row


def append_history(path: Path, row: dict[str, Any], keep: int = HISTORY_KEEP) -> None:
    """Add a row to the CSV, keeping only the last ``keep`` rows (a short history)."""
    rows: list[dict[str, Any]] = []
    if path.is_file():
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    rows.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=HISTORY_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows[-keep:])
