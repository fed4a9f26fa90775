"""SQLite store of referral drafts, reachable only by a random token until they expire."""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.storage.sqlite_file import transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS referrals (
    token_hash TEXT PRIMARY KEY,
    handoff TEXT NOT NULL,
    answers TEXT,
    created REAL NOT NULL,
    expires REAL NOT NULL,
    sent REAL
);
CREATE INDEX IF NOT EXISTS referrals_expires ON referrals (expires);
"""
# Added later: which conversation a draft came from (hashed), so "delete my conversation"
# can delete its drafts too. Older databases get the column on start.
_SENDER_COLUMN = "ALTER TABLE referrals ADD COLUMN sender_hash TEXT"


class ReferralExpired(Exception):
    """The token existed but its time is up (its data has now been deleted)."""


def token_hash(token: str) -> str:
    """Tokens are stored hashed, so the database alone cannot open anyone's answers."""
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed_token(token: str) -> bool:
    """True if the value has the shape of a token we issue."""
    return len(token) == 43 and all(c.isalnum() or c in "-_" for c in token)


@dataclass
class Referral:
    """One draft service request."""

    token: str
    handoff: dict[str, Any]
    answers: dict[str, Any] | None
    created: float
    expires: float
    sent: float | None = None

    @property
    def reference(self) -> str:
        """A short reference to quote (not the token)."""
        return token_hash(self.token)[:8].upper()


class ReferralStore:
    """Creates, reads, updates and deletes drafts; expired drafts are deleted."""

    def __init__(
        self, path: Path, ttl_seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = Path(path)
        self.ttl = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(referrals)")}
            if "sender_hash" not in columns:
                db.execute(_SENDER_COLUMN)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock, transaction(self.path) as db:
            yield db

    def create(self, handoff: dict[str, Any], sender: str | None = None) -> Referral:
        """Store a handoff under a new random token (linked to the hashed sender, if given)."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        owner = token_hash(sender) if sender else None
        with self._db() as db:
            db.execute(
                "INSERT INTO referrals (token_hash, handoff, created, expires, sender_hash) "
                "VALUES (?,?,?,?,?)",
                (token_hash(token), json.dumps(handoff), now, now + self.ttl, owner),
            )
        return Referral(token, handoff, None, now, now + self.ttl)

    def get(self, token: str) -> Referral | None:
        """The draft for a token, None if unknown; raises ReferralExpired (and deletes) if old."""
        if not well_formed_token(token):
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT handoff, answers, created, expires, sent FROM referrals "
                "WHERE token_hash = ?",
                (token_hash(token),),
            ).fetchone()
        if row is None:
            return None
        handoff, answers, created, expires, sent = row
        if expires <= self._clock():
            self.delete(token)
            raise ReferralExpired(token)
        return Referral(
            token,
            json.loads(handoff),
            json.loads(answers) if answers else None,
            created,
            expires,
            sent,
        )

    def save_answers(self, token: str, answers: dict[str, Any]) -> None:
        """Keep what the person typed, under the token only."""
        with self._db() as db:
            db.execute(
                "UPDATE referrals SET answers = ? WHERE token_hash = ?",
                (json.dumps(answers), token_hash(token)),
            )

    def mark_sent(self, token: str) -> None:
        """Remember that a copy went to the service."""
        with self._db() as db:
            db.execute(
                "UPDATE referrals SET sent = ? WHERE token_hash = ?",
                (self._clock(), token_hash(token)),
            )

    def delete(self, token: str) -> bool:
        """Delete a draft; True if there was one."""
        with self._db() as db:
            cur = db.execute("DELETE FROM referrals WHERE token_hash = ?", (token_hash(token),))
            return cur.rowcount > 0

    def delete_for_sender(self, sender: str) -> int:
        """Delete every draft that came from one conversation; return how many."""
        with self._db() as db:
            cur = db.execute("DELETE FROM referrals WHERE sender_hash = ?", (token_hash(sender),))
            return cur.rowcount

    def purge_created_before(self, cutoff: float) -> int:
        """Delete drafts created before ``cutoff`` whatever their expiry (retention)."""
        with self._db() as db:
            return db.execute("DELETE FROM referrals WHERE created < ?", (cutoff,)).rowcount

    def purge_expired(self) -> int:
        """Delete every expired draft; return how many."""
        with self._db() as db:
            cur = db.execute("DELETE FROM referrals WHERE expires <= ?", (self._clock(),))
            return cur.rowcount

    def count(self) -> int:
        """How many drafts are stored (for tests and health)."""
        with self._db() as db:
            return int(db.execute("SELECT COUNT(*) FROM referrals").fetchone()[0])
