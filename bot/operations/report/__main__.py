"""``make report`` (``python -m bot.operations.report``): the service report, as text, CSV and PNG.

Reads Rasa's tracker store (the database in the endpoints file, or ``TRACKER_DB_URL``), the
feedback and counters
store (``FEEDBACK_STORE``, default var/insight.db) and writes to ``REPORT_DIR`` (var/report).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import sqlalchemy as sa

from bot import settings
from bot.operations.insight import read_only
from bot.operations.report.output import summary_text, write_report
from bot.operations.report.stats import Report, build_report
from bot.operations.report.tracker import read_events
from bot.paths import REPO
from bot.storage.conversations import TrackerSource, tracker_source

REPO_ROOT = REPO


def default_paths() -> dict[str, TrackerSource]:
    """Where the report reads and writes, from the environment."""
    return {
        "tracker": tracker_source(),
        "insight": settings.FEEDBACK_STORE.read(),
        "out": settings.REPORT_DIR.read(),
    }


def make_report(
    tracker: TrackerSource, insight: Path, days: int | None = None, now: dt.datetime | None = None
) -> Report:
    """Build the report from the two databases (missing files count as empty)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    since = (now - dt.timedelta(days=days)).timestamp() if days else None
    events = read_events(tracker, since)
    store = read_only(insight)
    feedback = store.feedback() if store else []
    counters = store.events() if store else []
    if days:
        first = (now - dt.timedelta(days=days)).date().isoformat()
        feedback = [f for f in feedback if f.day >= first]
        counters = [c for c in counters if c[0] >= first]
    return build_report(events, feedback, counters, now)


def main(argv: list[str] | None = None) -> int:
    """Print the summary and write the CSV and charts."""
    paths = default_paths()
    parser = argparse.ArgumentParser(prog="python -m bot.operations.report", description=__doc__)
    parser.add_argument(
        "--tracker",
        type=lambda v: sa.engine.make_url(v) if "://" in v else Path(v),
        default=paths["tracker"],
        help="an SQLite file or a database URL (default: the tracker store's database)",
    )
    parser.add_argument("--insight", type=Path, default=paths["insight"])
    parser.add_argument("--out", type=Path, default=paths["out"])
    parser.add_argument("--days", type=int, default=None, help="only the last N days")
    args = parser.parse_args(argv)
    report = make_report(args.tracker, args.insight, args.days)
    print(summary_text(report))
    written = write_report(report, args.out)
    print("\nWritten: " + ", ".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
