"""The numbers of the service report, computed from plain rows (pure functions)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.guidance.privacy import redact
from bot.operations.insight import Feedback
from bot.operations.report.similarity import Group, group_similar
from bot.operations.report.tracker import Event

NOT_UNDERSTOOD_INTENTS = ("nlu_fallback", "out_of_scope")
FALLBACK_ACTIONS = ("action_fallback", "action_default_fallback")
SAFEGUARDING_ACTION = "action_safeguarding"
HANDOFF_ACTION = "action_handoff"
MAX_EXAMPLES = 5
_PAYLOAD = re.compile(r"^/?\w+\{.*\}$", re.DOTALL)


@dataclass
class FeedbackSummary:
    """Answers to 'Was this helpful?'."""

    total: int = 0
    helpful: int = 0
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (yes, total)
    comments: list[tuple[str, str, bool, str]] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        """Share answered 'yes' (None when there are no answers)."""
        return self.helpful / self.total if self.total else None


@dataclass
class Report:
    """Everything the report shows."""

    generated: str
    first_day: str | None
    last_day: str | None
    conversations_per_day: dict[str, int]
    topics: list[tuple[str, int]]
    not_understood: list[Group]
    handoffs: dict[str, int]
    safeguarding_signposts: int
    dspl_areas: list[tuple[str, int]]
    feedback: FeedbackSummary

    @property
    def conversations(self) -> int:
        """Conversations over the whole period (a conversation on two days counts twice)."""
        return sum(self.conversations_per_day.values())


def _day(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).date().isoformat()


def conversations_per_day(events: list[Event]) -> dict[str, int]:
    """Distinct conversations with at least one message from a person, per day (UTC)."""
    seen: dict[str, set[str]] = {}
    for e in events:
        if e.type == "user":
            seen.setdefault(_day(e.timestamp), set()).add(e.sender)
    return {day: len(senders) for day, senders in sorted(seen.items())}


def topics_asked(events: list[Event]) -> list[tuple[str, int]]:
    """Intent counts of the people's messages, most asked first."""
    counts = Counter(e.intent or "unknown" for e in events if e.type == "user")
    return counts.most_common()


def not_understood_texts(events: list[Event]) -> list[str]:
    """Messages the assistant did not understand, redacted (button payloads left out)."""
    out: list[str] = []
    last_user: dict[str, int] = {}
    flagged: set[int] = set()
    for index, e in enumerate(events):
        if e.type == "user":
            last_user[e.sender] = index
            if e.intent in NOT_UNDERSTOOD_INTENTS:
                flagged.add(index)
        elif e.type == "action" and e.action in FALLBACK_ACTIONS and e.sender in last_user:
            flagged.add(last_user[e.sender])
    for index in sorted(flagged):
        text = events[index].text.strip()
        if text and not text.startswith("/") and not _PAYLOAD.match(text):
            out.append(redact(text))
    return out


def handoff_counts(events: list[Event], insight_events: list[tuple[str, ...]]) -> dict[str, int]:
    """Handoffs offered in chat, and drafts started, completed and sent (chat and guide)."""
    counts: dict[str, int] = {
        "offered_in_chat": sum(1 for e in events if e.type == "bot" and "handoff" in e.custom)
    }
    kinds = Counter((row[1], row[2]) for row in insight_events)
    counts["started_guide"] = kinds[("handoff_started", "guide")]
    for kind in ("handoff_completed", "handoff_sent"):
        short = kind.removeprefix("handoff_")
        counts[f"{short}_chat"] = kinds[(kind, "widget")]
        counts[f"{short}_guide"] = kinds[(kind, "guide")]
    counts["guide_checks_done"] = sum(n for (k, _), n in kinds.items() if k == "guide_check_done")
    return counts


def dspl_areas(events: list[Event], insight_events: list[tuple[str, ...]]) -> list[tuple[str, int]]:
    """DSPL areas people were told (chat slot ``dspl_area`` and the guide's finder)."""
    counts: Counter[str] = Counter()
    for e in events:
        if e.type == "slot" and e.data.get("name") == "dspl_area":
            value = e.data.get("value")
            if isinstance(value, str) and value:
                counts[value] += 1
    for row in insight_events:
        if row[1] == "dspl_lookup":
            counts[row[3] or "not found"] += 1
    return counts.most_common()


def feedback_summary(items: list[Feedback]) -> FeedbackSummary:
    """Totals, rate by kind, and the (redacted) comments."""
    summary = FeedbackSummary(total=len(items), helpful=sum(1 for f in items if f.helpful))
    by_kind: dict[str, list[int]] = {}
    for f in items:
        pair = by_kind.setdefault(f.kind, [0, 0])
        pair[0] += int(f.helpful)
        pair[1] += 1
        if f.comment:
            summary.comments.append((f.day, f.kind, f.helpful, redact(f.comment)))
    summary.by_kind = {k: (v[0], v[1]) for k, v in sorted(by_kind.items())}
    return summary


def build_report(
    events: list[Event],
    feedback: list[Feedback],
    insight_events: list[tuple[str, ...]],
    now: dt.datetime | None = None,
    threshold: float = 0.5,
) -> Report:
    """All sections of the report from the tracker events and the insight store."""
    now = now or dt.datetime.now(dt.timezone.utc)
    per_day = conversations_per_day(events)
    days = sorted(set(per_day) | {f.day for f in feedback} | {row[0] for row in insight_events})
    return Report(
        generated=now.strftime("%Y-%m-%d %H:%M UTC"),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
        conversations_per_day=per_day,
        topics=topics_asked(events),
        not_understood=group_similar(not_understood_texts(events), threshold),
        handoffs=handoff_counts(events, insight_events),
        safeguarding_signposts=sum(
            1 for e in events if e.type == "action" and e.action == SAFEGUARDING_ACTION
        ),
        dspl_areas=dspl_areas(events, insight_events),
        feedback=feedback_summary(feedback),
    )


def report_rows(report: Report) -> list[dict[str, Any]]:
    """The report as long-format rows (section, key, value, detail) for the CSV export."""
    rows: list[dict[str, Any]] = []

    def add(section: str, key: str, value: Any, detail: str = "") -> None:
        rows.append({"section": section, "key": key, "value": value, "detail": detail})

    for day, n in report.conversations_per_day.items():
        add("conversations_per_day", day, n)
    for intent, n in report.topics:
        add("topics_asked", intent, n)
    for group in report.not_understood:
        examples = " | ".join(dict.fromkeys(group.members[:MAX_EXAMPLES]))
        add("not_understood", group.label, group.count, examples)
    for key, n in report.handoffs.items():
        add("handoffs", key, n)
    add("safeguarding", "signposts_shown", report.safeguarding_signposts)
    for area, n in report.dspl_areas:
        add("dspl_areas", area, n)
    fb = report.feedback
    add("feedback", "answers", fb.total)
    add("feedback", "helpful", fb.helpful)
    add("feedback", "helpful_rate", "" if fb.rate is None else f"{fb.rate:.2f}")
    for kind, (yes, total) in fb.by_kind.items():
        add("feedback_by_kind", kind, total, f"{yes} helpful")
    for day, kind, helpful, comment in fb.comments:
        add("feedback_comment", day, "helpful" if helpful else "not helpful", f"{kind}: {comment}")
    return rows
