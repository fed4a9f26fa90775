"""``make purge`` (``python -m bot.operations.purge``): delete what is past the retention period.

Deletes conversations whose last message is older than ``RETENTION_DAYS`` (default 30;
the /privacy page shows the same setting) from the tracker store (the database in
``endpoints.yml`` / ``ENDPOINTS_FILE``, or ``TRACKER_DB_URL``), referral drafts created before
then or already expired (``REFERRAL_STORE``, default ``var/referrals.db``), and feedback rows
older than ``FEEDBACK_RETENTION_DAYS`` (default 30; ``FEEDBACK_STORE``, default
``var/insight.db``). Run it daily (cron or a systemd timer); it is safe to run at any time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot import settings
from bot.paths import REPO
from bot.storage.conversations import ConversationStore, TrackerStoreConfigError, tracker_db_url
from bot.storage.sqlite_file import transaction

ROOT = REPO
DEFAULT_RETENTION_DAYS = settings.RETENTION_DAYS.default_value


@dataclass(frozen=True)
class PurgeReport:
    """What one purge deleted."""

    conversations: int
    events: int
    referrals: int
    feedback: int = 0

    def summary(self, days: float) -> str:
        """One line for the log."""
        return (
            f"Purged data older than {days:g} days: {self.conversations} conversations "
            f"({self.events} events), {self.referrals} referral drafts, "
            f"{self.feedback} feedback rows."
        )


def retention_days(env: Mapping[str, str] | None = None) -> int:
    """``RETENTION_DAYS`` as a positive whole number of days (the same number /privacy shows)."""
    days = settings.RETENTION_DAYS.read(env)
    if days <= 0:
        given = settings.RETENTION_DAYS.text(env)
        raise ValueError(f"RETENTION_DAYS must be more than 0, not {given}")
    return days


def referral_store_path(env: Mapping[str, str] | None = None) -> Path:
    """The referral drafts database (same setting as the gateway's ``REFERRAL_STORE``)."""
    return settings.REFERRAL_STORE.read(env)


def feedback_settings(env: Mapping[str, str] | None = None) -> tuple[Path, float]:
    """The feedback store and its retention (``FEEDBACK_STORE``, ``FEEDBACK_RETENTION_DAYS``)."""
    return settings.FEEDBACK_STORE.read(env), settings.FEEDBACK_RETENTION_DAYS.read(env)


def purge_feedback(path: Path, days: float, clock: Callable[[], float]) -> int:
    """Delete feedback and counters older than ``days`` (rows hold a day, no time or person)."""
    if not path.exists():
        return 0
    oldest = (dt.date.fromtimestamp(clock()) - dt.timedelta(days=days)).isoformat()
    removed = 0
    with transaction(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in ("feedback", "events"):
            if table in tables:
                removed += db.execute(f"DELETE FROM {table} WHERE day < ?", (oldest,)).rowcount
    return removed


def purge_referrals(path: Path, cutoff: float, clock: Callable[[], float]) -> int:
    """Delete drafts created before the cutoff and every expired one."""
    if not path.exists():
        return 0
    from bot.storage.referral_drafts import ReferralStore

    store = ReferralStore(path, ttl_seconds=0, clock=clock)
    return store.purge_created_before(cutoff) + store.purge_expired()


def purge(
    days: float,
    tracker_url: object,
    referrals: Path,
    clock: Callable[[], float] = time.time,
    feedback: tuple[Path, float] | None = None,
) -> PurgeReport:
    """Delete conversations and drafts older than ``days``, and old feedback if given."""
    cutoff = clock() - days * 86400
    store = ConversationStore(tracker_url)
    try:
        conversations, events = store.purge_older_than(cutoff)
    finally:
        store.close()
    drafts = purge_referrals(referrals, cutoff, clock)
    rows = purge_feedback(feedback[0], feedback[1], clock) if feedback else 0
    return PurgeReport(conversations, events, drafts, rows)


def main(argv: list[str] | None = None) -> int:
    """Run one purge and print what it deleted."""
    parser = argparse.ArgumentParser(prog="python -m bot.operations.purge", description=__doc__)
    parser.add_argument("--days", type=float, help="override RETENTION_DAYS")
    args = parser.parse_args(argv)
    try:
        days = args.days if args.days is not None else retention_days()
        if days <= 0:
            raise ValueError("--days must be more than 0")
        url = tracker_db_url()
    except (ValueError, TrackerStoreConfigError) as err:
        print(f"Purge not run: {err}", file=sys.stderr)
        return 2
    report = purge(days, url, referral_store_path(), feedback=feedback_settings())
    print(report.summary(days), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
