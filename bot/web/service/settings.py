"""Settings of the guide, feedback and report features, read through bot/settings.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot import settings
from bot.storage.conversations import TrackerSource, tracker_source

REPO_ROOT = Path(__file__).resolve().parents[3]


def _days(setting: settings.Setting[int], env: Mapping[str, str] | None) -> int:
    """Whole days, read as ``make purge`` reads them: a blank value means the default and an
    unreadable one stops the start with the setting's name, so the pages never promise a
    different number from the one the purge uses."""
    return setting.read(env)


@dataclass(frozen=True)
class ServiceSettings:
    """Where feedback is kept, for how long, and who may read the report."""

    feedback_store: Path = REPO_ROOT / "var" / "insight.db"
    feedback_retention_days: int = 30
    conversation_retention_days: int = 30
    tracker_db: TrackerSource = REPO_ROOT / "var" / "tracker.db"
    admin_report_token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServiceSettings:
        """FEEDBACK_STORE, FEEDBACK_RETENTION_DAYS, RETENTION_DAYS, the tracker store (as
        for "delete my conversation": TRACKER_DB_URL or the endpoints file) and
        ADMIN_REPORT_TOKEN (the report page is off while it is unset)."""
        return cls(
            feedback_store=settings.FEEDBACK_STORE.read(env),
            feedback_retention_days=_days(settings.FEEDBACK_RETENTION_DAYS, env),
            conversation_retention_days=_days(settings.RETENTION_DAYS, env),
            tracker_db=tracker_source(env),
            admin_report_token=settings.ADMIN_REPORT_TOKEN.read(env),
        )
