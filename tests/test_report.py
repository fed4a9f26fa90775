"""bot.operations.report: the service report from a synthetic tracker store and feedback store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.operations.insight import InsightStore
from bot.operations.report.__main__ import main, make_report
from bot.operations.report.output import csv_text, summary_text, write_report
from bot.operations.report.similarity import group_similar, similarity
from bot.operations.report.stats import build_report
from bot.operations.report.tracker import read_events

DAY1 = dt.datetime(2026, 11, 23, 10, tzinfo=dt.timezone.utc).timestamp()
DAY2 = DAY1 + 86400
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone.utc)

SCHEMA = """CREATE TABLE events (id INTEGER NOT NULL, sender_id VARCHAR(255) NOT NULL,
type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),
action_name VARCHAR(255), data TEXT, PRIMARY KEY (id))"""


class Tracker:
    """Writes rows in the shape of Rasa's SQLTrackerStore."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute(SCHEMA)
        self.n = 0

    def add(self, sender: str, ts: float, type_name: str, **data: Any) -> None:
        self.n += 1
        intent = (data.get("parse_data") or {}).get("intent", {}).get("name")
        action = data.get("name") if type_name in ("action", "active_loop") else None
        if type_name == "slot":
            action = data.get("name")
        self.db.execute(
            "INSERT INTO events VALUES (?,?,?,?,?,?,?)",
            (self.n, sender, type_name, ts + self.n / 1000, intent, action,
             json.dumps({"event": type_name, **data})),
        )

    def user(self, sender: str, ts: float, text: str, intent: str) -> None:
        self.add(sender, ts, "user", text=text,
                 parse_data={"intent": {"name": intent, "confidence": 0.9}, "text": text})

    def action(self, sender: str, ts: float, name: str) -> None:
        self.add(sender, ts, "action", name=name)

    def close(self) -> None:
        self.db.commit()
        self.db.close()


@pytest.fixture
def tracker_db(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.db"
    t = Tracker(path)
    # day 1: a parent checks a referral, gets a handoff; another asks for DSPL and a safety worry
    t.action("a", DAY1, "action_session_start")
    t.user("a", DAY1, "/greet", "greet")
    t.user("a", DAY1, "can I refer my son? my son is called Tom", "check_referral")
    t.action("a", DAY1, "action_handoff")
    t.add("a", DAY1, "bot", text="Here is a summary", data={"custom": {"handoff": {"x": 1}}})
    t.user("b", DAY1, "which DSPL is Hitchin in", "find_dspl")
    t.add("b", DAY1, "slot", name="dspl_area", value="DSPL 1")
    t.user("b", DAY1, "I'm scared he is being hurt", "safeguarding_concern")
    t.action("b", DAY1, "action_safeguarding")
    # day 2: things the assistant did not understand, one caught only by the fallback action
    t.user("c", DAY2, "do you do swimming lessons", "out_of_scope")
    t.user("c", DAY2, "do you do swimming lesson for toddlers", "nlu_fallback")
    t.user("c", DAY2, "potty training help call 07700 900123", "inform")
    t.action("c", DAY2, "action_fallback")
    t.user("c", DAY2, '/inform{"choice":"yes"}', "nlu_fallback")
    t.user("a", DAY2, "which dspl is SG1 2AB", "find_dspl")
    t.add("a", DAY2, "slot", name="dspl_area", value="DSPL 2")
    t.add("a", DAY2, "slot", name="dspl_area", value=None)
    t.close()
    return path


@pytest.fixture
def insight_db(tmp_path: Path) -> Path:
    path = tmp_path / "insight.db"
    store = InsightStore(path, today=lambda: dt.date(2026, 11, 24))
    store.add_feedback("widget", "answer", True)
    store.add_feedback("widget", "answer", False, "Didn't answer. Email me at x@y.com")
    store.add_feedback("widget", "end", True, "very clear, thanks")
    store.add_feedback("guide", "page", True, page="guide/evidence")
    store.add_event("handoff_started", "widget")
    store.add_event("handoff_completed", "widget")
    store.add_event("handoff_started", "guide")
    store.add_event("guide_check_done", "guide")
    store.add_event("dspl_lookup", "guide", "DSPL 1")
    return path


def test_events_are_read_in_order_and_missing_db_is_empty(tracker_db: Path, tmp_path: Path):
    events = read_events(tracker_db)
    assert [e.timestamp for e in events] == sorted(e.timestamp for e in events)
    assert events[1].text == "/greet" and events[1].intent == "greet"
    assert read_events(tmp_path / "none.db") == []
    assert not (tmp_path / "none.db").exists()
    assert len(read_events(tracker_db, since=DAY2)) < len(events)


def test_report_sections(tracker_db: Path, insight_db: Path) -> None:
    report = make_report(tracker_db, insight_db, now=NOW)
    assert report.conversations_per_day == {"2026-11-23": 2, "2026-11-24": 2}
    assert dict(report.topics)["find_dspl"] == 2 and dict(report.topics)["nlu_fallback"] == 2
    assert report.safeguarding_signposts == 1
    assert report.dspl_areas == [("DSPL 1", 2), ("DSPL 2", 1)]
    assert report.handoffs["offered_in_chat"] == 1
    assert report.handoffs["started_guide"] == 1
    assert report.handoffs["completed_chat"] == 1 and report.handoffs["guide_checks_done"] == 1
    groups = report.not_understood
    assert groups[0].count == 2 and "swimming" in groups[0].label
    texts = [m for g in groups for m in g.members]
    assert "potty training help call [phone]" in texts  # caught by action_fallback, redacted
    assert not any("choice" in t for t in texts)  # button payloads are not messages
    fb = report.feedback
    assert (fb.total, fb.helpful) == (4, 3) and fb.rate == 0.75
    assert fb.by_kind == {"answer": (1, 2), "end": (1, 1), "page": (1, 1)}
    assert ("2026-11-24", "answer", False, "Didn't answer. Email me at [email]") in fb.comments


def test_days_window(tracker_db: Path, insight_db: Path) -> None:
    report = make_report(tracker_db, insight_db, days=1, now=NOW - dt.timedelta(hours=12))
    assert report.conversations_per_day == {"2026-11-24": 2}
    assert report.safeguarding_signposts == 0


def test_csv_and_charts(tracker_db: Path, insight_db: Path, tmp_path: Path) -> None:
    report = make_report(tracker_db, insight_db, now=NOW)
    written = write_report(report, tmp_path / "out")
    names = sorted(p.name for p in written)
    assert names == [
        "conversations_per_day.png", "feedback.png", "report.csv", "topics_asked.png"
    ]
    for path in written:
        if path.suffix == ".png":
            assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 5000
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "report.csv").read_text())))
    sections = {r["section"] for r in rows}
    assert {"conversations_per_day", "topics_asked", "not_understood", "handoffs", "safeguarding",
            "dspl_areas", "feedback", "feedback_comment"} <= sections
    text = (tmp_path / "out" / "report.csv").read_text()
    assert "07700" not in text and "x@y.com" not in text and "Tom" not in text


def test_csv_cells_cannot_start_formulas() -> None:
    report = build_report([], [], [], NOW)
    report.topics = [("=HYPERLINK(1)", 1)]
    assert "'=HYPERLINK(1)" in csv_text(report)


def test_empty_report_still_renders(tmp_path: Path) -> None:
    report = make_report(tmp_path / "none.db", tmp_path / "none2.db", now=NOW)
    assert report.conversations == 0 and report.feedback.rate is None
    assert "Conversations: 0" in summary_text(report)
    assert len(write_report(report, tmp_path / "out")) == 4


def test_cli(tracker_db: Path, insight_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "report"
    args = ["--tracker", str(tracker_db), "--insight", str(insight_db), "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Safeguarding signposts shown: 1" in printed
    assert "Feedback: 4 answers, 3 helpful (75%)" in printed
    assert (out / "report.csv").exists()


def test_similarity_grouping() -> None:
    assert similarity("swimming lessons?", "Swimming lessons") > 0.8
    assert similarity("potty training", "speech therapy waiting list") < 0.5
    groups = group_similar(["where is the nursery", "where's the nursery?", "bus times", "x"])
    assert [g.count for g in groups] == [2, 1, 1]


def test_insight_store_keeps_no_personal_data_and_purges_old_rows(tmp_path: Path) -> None:
    today = [dt.date(2026, 1, 1)]
    store = InsightStore(tmp_path / "i.db", retention_days=30, today=lambda: today[0])
    store.add_feedback("widget", "end", False, "my son is called Tom, ring 07700 900123")
    assert store.feedback()[0].comment == "my son is called [name], ring [phone]"
    assert len(store.add_feedback("widget", "answer", True, "x" * 1000).comment) == 300
    with pytest.raises(ValueError):
        store.add_feedback("email", "answer", True)
    with pytest.raises(ValueError):
        store.add_feedback("guide", "page", True, page="<script>")
    with pytest.raises(ValueError):
        store.add_event("anything")
    today[0] = dt.date(2026, 2, 15)
    store.add_event("handoff_started", "guide")
    assert store.feedback() == [] and len(store.events()) == 1
    raw = (tmp_path / "i.db").read_bytes()
    assert b"Tom" not in raw and b"900123" not in raw
