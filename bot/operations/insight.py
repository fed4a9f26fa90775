"""Feedback and service counters, stored without personal data (SQLite).

Each row holds a day (no time of day), where it came from and what happened: no sender id,
no IP address, no token. Comments are redacted with ``bot.guidance.privacy`` and cut short before
they are written. Rows older than the retention period are deleted on every write.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.guidance.privacy import redact_limited
from bot.storage.sqlite_file import transaction

MAX_COMMENT_CHARS = 300
SOURCES = ("widget", "guide")
FEEDBACK_KINDS = ("answer", "end", "page")
EVENT_KINDS = (
    "handoff_started",  # a service request draft was created (chat or guide)
    "handoff_completed",  # its form was filled in and checked
    "handoff_sent",  # a copy was passed to the service
    "guide_check_done",  # someone reached the end of the guide's "Can I refer?" questions
    "dspl_lookup",  # the guide's DSPL finder was used (detail: the area found, if any)
)
_PAGE_RE = re.compile(r"^[a-z0-9/_-]{0,80}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    page TEXT NOT NULL DEFAULT '',
    helpful INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS feedback_day ON feedback (day);
CREATE INDEX IF NOT EXISTS events_day ON events (day);
"""


@dataclass(frozen=True)
class Feedback:
    """One 'Was this helpful?' answer."""

    day: str
    source: str
    kind: str
    page: str
    helpful: bool
    comment: str
    id: int = 0


class InsightStore:
    """Writes and reads feedback and counters; nothing in it identifies a person."""

    def __init__(
        self,
        path: Path,
        retention_days: int = 30,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.path = Path(path)
        self.retention_days = retention_days
        self._today = today
        self._lock = threading.Lock()
        self._ready = False  # the file is created on first use, not at start-up

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with transaction(self.path) as first:
                    first.executescript(_SCHEMA)
                self._ready = True
            with transaction(self.path) as db:
                yield db

    def _purge(self, db: sqlite3.Connection) -> None:
        oldest = (self._today() - dt.timedelta(days=self.retention_days)).isoformat()
        db.execute("DELETE FROM feedback WHERE day < ?", (oldest,))
        db.execute("DELETE FROM events WHERE day < ?", (oldest,))

    def add_feedback(
        self, source: str, kind: str, helpful: bool, comment: str = "", page: str = ""
    ) -> Feedback:
        """Store one answer; raises ValueError for an unknown source, kind or page."""
        if source not in SOURCES or kind not in FEEDBACK_KINDS or not _PAGE_RE.match(page):
            raise ValueError("unknown feedback source, kind or page")
        item = Feedback(
            self._today().isoformat(),
            source,
            kind,
            page,
            bool(helpful),
            redact_limited(comment, MAX_COMMENT_CHARS),
        )
        with self._db() as db:
            self._purge(db)
            cur = db.execute(
                "INSERT INTO feedback (day, source, kind, page, helpful, comment) "
                "VALUES (?,?,?,?,?,?)",
                (item.day, item.source, item.kind, item.page, int(item.helpful), item.comment),
            )
        return Feedback(**{**item.__dict__, "id": int(cur.lastrowid or 0)})

    def set_comment(self, feedback_id: int, comment: str) -> bool:
        """Add the optional comment to an answer once; False if unknown or already set."""
        cleaned = redact_limited(comment, MAX_COMMENT_CHARS)
        if not cleaned:
            return False
        with self._db() as db:
            cur = db.execute(
                "UPDATE feedback SET comment = ? WHERE id = ? AND comment = ''",
                (cleaned, feedback_id),
            )
            return cur.rowcount > 0

    def add_event(self, kind: str, source: str = "", detail: str = "") -> None:
        """Count one thing that happened (see EVENT_KINDS)."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        with self._db() as db:
            self._purge(db)
            db.execute(
                "INSERT INTO events (day, kind, source, detail) VALUES (?,?,?,?)",
                (self._today().isoformat(), kind, source[:20], redact_limited(detail, 60)),
            )

    def feedback(self) -> list[Feedback]:
        """Every stored answer, oldest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT day, source, kind, page, helpful, comment, id FROM feedback ORDER BY id"
            ).fetchall()
        return [Feedback(d, s, k, p, bool(h), c, i) for d, s, k, p, h, c, i in rows]

    def events(self) -> list[tuple[str, ...]]:
        """Every counter row as (day, kind, source, detail), oldest first."""
        with self._db() as db:
            return [
                tuple(row)
                for row in db.execute(
                    "SELECT day, kind, source, detail FROM events ORDER BY id"
                ).fetchall()
            ]


def read_only(path: Path) -> InsightStore | None:
    """The store at ``path`` if the file exists (the report must not create files)."""
    return InsightStore(path) if Path(path).exists() else None
