"""Retention: `python -m bot.operations.purge` deletes old conversations and drafts, only."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.operations.purge import purge, retention_days
from bot.storage.conversations import (
    DELETIONS,
    EVENTS,
    ConversationStore,
    TrackerStoreConfigError,
    db_url_from_config,
    tracker_db_url,
)
from bot.storage.deletions import sender_key
from bot.storage.referral_drafts import ReferralStore
from bot.storage.tracker_tables import create_our_tables

ROOT = Path(__file__).resolve().parents[1]
DAY = 86400.0
NOW = 1_800_000_000.0


def tracker_db(path: Path, conversations: dict[str, list[float]]) -> str:
    """A tracker database in Rasa's layout with events at the given times."""
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as db:
        for sender, times in conversations.items():
            for t in times:
                db.execute(
                    EVENTS.insert().values(
                        sender_id=sender, type_name="user", timestamp=t, data="{}"
                    )
                )
    engine.dispose()
    return url


def senders(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}


def test_purge_deletes_only_conversations_idle_longer_than_retention(tmp_path: Path) -> None:
    url = tracker_db(
        tmp_path / "t.db",
        {
            "old": [NOW - 40 * DAY, NOW - 35 * DAY],
            "recent": [NOW - 2 * DAY],
            "long-running": [NOW - 60 * DAY, NOW - 1 * DAY],  # still in use: kept whole
        },
    )
    drafts = ReferralStore(tmp_path / "r.db", ttl_seconds=24 * 3600, clock=lambda: NOW - 31 * DAY)
    drafts.create({"council": "x"}, sender="old")
    fresh = ReferralStore(tmp_path / "r.db", ttl_seconds=24 * 3600, clock=lambda: NOW - 1000)
    fresh.create({"council": "x"}, sender="recent")

    report = purge(30, url, tmp_path / "r.db", clock=lambda: NOW)

    assert (report.conversations, report.events, report.referrals) == (1, 2, 1)
    assert senders(tmp_path / "t.db") == {"recent", "long-running"}
    assert fresh.count() == 1
    assert "1 conversations (2 events), 1 referral drafts" in report.summary(30)
    assert retention_days({"RETENTION_DAYS": "14"}) == 14


def test_a_purged_conversation_leaves_a_marker_and_old_markers_go(tmp_path: Path) -> None:
    """Every Rasa process's cache then knows the purged conversation is gone."""
    url = tracker_db(tmp_path / "t.db", {"old": [time.time() - 40 * DAY]})
    store = ConversationStore(url)
    create_our_tables(store.engine)
    with store.engine.begin() as db:
        old_marker = {"sender_key": "x" * 64, "deleted_at": time.time() - 40 * DAY}
        db.execute(DELETIONS.insert().values(**old_marker))
    store.close()

    purge(30, url, tmp_path / "r.db")

    with sqlite3.connect(tmp_path / "t.db") as db:
        markers = [r[0] for r in db.execute("SELECT sender_key FROM conversation_deletions")]
    assert markers == [sender_key("old")]


def test_purge_on_an_empty_or_missing_store_does_nothing(tmp_path: Path) -> None:
    report = purge(
        30, f"sqlite:///{tmp_path / 'none.db'}", tmp_path / "none-r.db", clock=lambda: NOW
    )
    assert (report.conversations, report.events, report.referrals) == (0, 0, 0)
    assert not (tmp_path / "none.db").exists()  # not created by looking


def test_delete_one_conversation(tmp_path: Path) -> None:
    url = tracker_db(tmp_path / "t.db", {"a": [NOW, NOW + 1], "b": [NOW]})
    store = ConversationStore(url)
    assert store.delete("a") == 2
    assert store.delete("a") == 0
    assert store.senders() == ["b"]
    store.close()


def test_retention_days_setting() -> None:
    assert retention_days({}) == 30
    assert retention_days({"RETENTION_DAYS": "7"}) == 7
    with pytest.raises(ValueError):
        retention_days({"RETENTION_DAYS": "0"})


def test_tracker_url_from_endpoints_files(tmp_path: Path) -> None:
    assert str(tracker_db_url({})).endswith("/var/tracker.db")  # the repo's endpoints.yml
    pg = db_url_from_config(
        {
            "type": "bot.rasa_plugins.tracker_store.ProductionTrackerStore",
            "dialect": "postgresql",
            "url": "${DB_HOST}",
            "port": "5432",
            "db": "rasa",
            "username": "rasa",
            "password": "${DB_PASSWORD}",
        },
        {"DB_HOST": "127.0.0.1", "DB_PASSWORD": "pw"},
    )
    assert (pg.drivername, pg.host, pg.port, pg.database, pg.password) == (
        "postgresql",
        "127.0.0.1",
        5432,
        "rasa",
        "pw",
    )
    with pytest.raises(TrackerStoreConfigError, match="DB_HOST"):
        db_url_from_config({"type": "SQL", "dialect": "postgresql", "url": "${DB_HOST}"}, {})
    with pytest.raises(TrackerStoreConfigError, match="not SQL"):
        db_url_from_config({"type": "redis"}, {})
    assert tracker_db_url({"TRACKER_DB_URL": "sqlite:////x.db"}) == "sqlite:////x.db"


def test_the_production_endpoints_file_gives_a_complete_url() -> None:
    from bot.operations.deploy_profile import PRODUCTION_DEFAULTS

    env = {**PRODUCTION_DEFAULTS, "ENDPOINTS_FILE": "deploy/endpoints.production.yml"}
    url = tracker_db_url(env)

    assert url.get_backend_name() == "postgresql"
    assert "${" not in url.render_as_string(hide_password=False)  # nested settings too
    assert url.query["connect_timeout"] == PRODUCTION_DEFAULTS["TRACKER_DB_CONNECT_TIMEOUT"]


def test_make_purge_command(tmp_path: Path) -> None:
    """The command `make purge` runs: reads RETENTION_DAYS and the stores, prints a summary."""
    import time

    now = time.time()
    url = tracker_db(tmp_path / "t.db", {"old": [now - 10 * DAY], "new": [now - 3600]})
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TRACKER_DB_URL": url,
        "REFERRAL_STORE": str(tmp_path / "r.db"),
        "RETENTION_DAYS": "7",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot.operations.purge"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "older than 7 days: 1 conversations" in result.stdout
    assert senders(tmp_path / "t.db") == {"new"}
    bad = subprocess.run(
        [sys.executable, "-m", "bot.operations.purge"],
        env={**env, "RETENTION_DAYS": "-1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "Purge not run" in bad.stderr


def test_purge_deletes_old_feedback(tmp_path: Path) -> None:
    import datetime as dt

    from bot.operations.insight import InsightStore
    from bot.operations.purge import purge_feedback

    now = dt.date.fromtimestamp(NOW)
    old = InsightStore(tmp_path / "i.db", retention_days=365, today=lambda: now - dt.timedelta(40))
    old.add_feedback("widget", "answer", True, "call me on 07700 900123")
    new = InsightStore(tmp_path / "i.db", retention_days=365, today=lambda: now)
    new.add_feedback("widget", "answer", False)
    assert purge_feedback(tmp_path / "i.db", 30, clock=lambda: NOW) == 1
    assert [f.helpful for f in new.feedback()] == [False]
    assert purge_feedback(tmp_path / "missing.db", 30, clock=lambda: NOW) == 0
