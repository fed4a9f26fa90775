"""Settings of the guide, feedback and report features, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.storage.conversations import TrackerSource, tracker_source

REPO_ROOT = Path(__file__).resolve().parents[3]


def _path(value: str, default: str) -> Path:
    path = Path(value.strip() or default)
    return path if path.is_absolute() else REPO_ROOT / path


def _int(value: str, default: int) -> int:
    try:
        return int(value.strip()) if value.strip() else default
    except ValueError:
        return default


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
        env = os.environ if env is None else env
        return cls(
            feedback_store=_path(env.get("FEEDBACK_STORE", ""), "var/insight.db"),
            feedback_retention_days=_int(env.get("FEEDBACK_RETENTION_DAYS", ""), 30),
            conversation_retention_days=_int(env.get("RETENTION_DAYS", ""), 30),
            tracker_db=tracker_source(env),
            admin_report_token=env.get("ADMIN_REPORT_TOKEN", "").strip(),
        )
