"""Writing the report: a CSV export, PNG charts (matplotlib, Agg) and a plain-text summary."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.operations.report.stats import MAX_EXAMPLES, Report, report_rows

CSV_NAME = "report.csv"
CHARTS = ("conversations_per_day", "topics_asked", "feedback")
TOP_TOPICS = 15


def csv_text(report: Report) -> str:
    """The report as CSV (section, key, value, detail)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["section", "key", "value", "detail"])
    writer.writeheader()
    for row in report_rows(report):
        writer.writerow({k: _safe_cell(v) for k, v in row.items()})
    return out.getvalue()


def _safe_cell(value: object) -> object:
    """Stop spreadsheet formulas: a text cell starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def chart_png(report: Report, name: str) -> bytes:
    """One chart as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        if name == "conversations_per_day":
            days = list(report.conversations_per_day)
            ax.bar(days, list(report.conversations_per_day.values()), color="#1d70b8")
            ax.set_title("Conversations per day")
            ax.set_ylabel("Conversations")
            ax.tick_params(axis="x", labelrotation=45)
        elif name == "topics_asked":
            top = report.topics[:TOP_TOPICS][::-1]
            ax.barh([t for t, _ in top], [n for _, n in top], color="#1d70b8")
            ax.set_title(f"Topics asked (top {TOP_TOPICS} intents)")
            ax.set_xlabel("Messages")
        elif name == "feedback":
            kinds = list(report.feedback.by_kind)
            yes = [report.feedback.by_kind[k][0] for k in kinds]
            no = [report.feedback.by_kind[k][1] - report.feedback.by_kind[k][0] for k in kinds]
            ax.bar(kinds, yes, color="#00703c", label="Helpful")
            ax.bar(kinds, no, bottom=yes, color="#d4351c", label="Not helpful")
            ax.set_title("Was this helpful?")
            ax.set_ylabel("Answers")
            ax.legend()
        else:
            raise ValueError(f"unknown chart {name!r}")
        if not ax.has_data():
            ax.text(0.5, 0.5, "No data yet", ha="center", va="center", transform=ax.transAxes)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()
    finally:
        plt.close(fig)


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """Write report.csv and the charts into ``out_dir``; return the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / CSV_NAME]
    written[0].write_text(csv_text(report), encoding="utf-8")
    for name in CHARTS:
        path = out_dir / f"{name}.png"
        path.write_bytes(chart_png(report, name))
        written.append(path)
    return written


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def summary_text(report: Report) -> str:
    """A readable summary for the terminal."""
    lines = [
        f"Service report, generated {report.generated}",
        f"Period: {report.first_day or '-'} to {report.last_day or '-'}",
        "",
        f"Conversations: {report.conversations}",
    ]
    lines += [f"  {day}: {n}" for day, n in report.conversations_per_day.items()]
    lines += ["", "Topics asked (intents):"]
    lines += [f"  {intent}: {n}" for intent, n in report.topics] or ["  none"]
    lines += ["", "Not understood (redacted, grouped by similarity):"]
    for group in report.not_understood:
        examples = "; ".join(dict.fromkeys(group.members[1:MAX_EXAMPLES]))
        also = f" (also: {examples})" if examples else ""
        lines.append(f"  {group.count} x \"{group.label}\"{also}")
    if not report.not_understood:
        lines.append("  none")
    lines += ["", "Handoffs:"]
    lines += [f"  {key}: {n}" for key, n in report.handoffs.items()]
    lines += ["", f"Safeguarding signposts shown: {report.safeguarding_signposts}", ""]
    lines += ["DSPL areas asked about:"]
    lines += [f"  {area}: {n}" for area, n in report.dspl_areas] or ["  none"]
    fb = report.feedback
    rate = _percent(fb.helpful, fb.total)
    lines += ["", f"Feedback: {fb.total} answers, {fb.helpful} helpful ({rate})"]
    lines += [
        f"  {kind}: {yes} of {total} helpful ({_percent(yes, total)})"
        for kind, (yes, total) in fb.by_kind.items()
    ]
    lines += [
        f"  comment ({day}, {kind}, {'helpful' if ok else 'not helpful'}): {text}"
        for day, kind, ok, text in fb.comments
    ]
    return "\n".join(lines)
