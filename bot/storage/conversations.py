"""Deleting conversations from Rasa's SQL tracker store, without loading Rasa.

Rasa keeps one row per event in the ``events`` table (``sender_id``, ``timestamp``, ...);
our tracker store adds ``tracker_checkpoints`` (a summary of a long conversation's state)
and ``conversation_deletions`` (markers, :mod:`bot.storage.deletions`); see
:mod:`bot.storage.tracker_tables`.
"Delete my conversation" normally runs inside Rasa, under the conversation's lock; the
gateway uses :meth:`ConversationStore.delete` only when no Rasa process is running, and
``python -m bot.operations.purge`` uses :meth:`ConversationStore.purge_older_than` for retention.
The database is the one in ``endpoints.yml`` (or ``ENDPOINTS_FILE``), or ``TRACKER_DB_URL``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeAlias

import sqlalchemy as sa
import yaml

from bot import settings
from bot.paths import REPO
from bot.storage import deletions
from bot.storage.sqlite_file import secure_delete
from bot.storage.tracker_tables import CHECKPOINTS, DELETIONS, EVENTS, create_our_tables

__all__ = ["CHECKPOINTS", "DELETIONS", "EVENTS", "ConversationStore", "TrackerStoreConfigError"]

ROOT = REPO
_ENV_VAR = re.compile(r"\$\{([^}]+)\}")

class TrackerStoreConfigError(RuntimeError):
    """The tracker store is not an SQL database this module can reach."""


def _expand(value: Any, env: Mapping[str, str]) -> Any:
    """``${VAR}`` replaced from ``env`` in a value, nested ones included (``query:``)."""
    if isinstance(value, dict):
        return {k: _expand(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise TrackerStoreConfigError(f"endpoints file uses ${{{name}}}, which is not set")
        return env[name]

    return _ENV_VAR.sub(swap, value)


def endpoints_path(env: Mapping[str, str] | None = None) -> Path:
    """The endpoints file Rasa is started with (``ENDPOINTS_FILE``, default ``endpoints.yml``)."""
    return settings.ENDPOINTS_FILE.read(env)


def db_url_from_config(store: Mapping[str, Any], env: Mapping[str, str]) -> sa.engine.URL:
    """The SQLAlchemy URL for a ``tracker_store`` section (as Rasa builds it)."""
    kind = str(store.get("type", "")).lower()
    if not (kind == "sql" or kind.endswith("sqltrackerstore") or "dialect" in store):
        raise TrackerStoreConfigError(f"tracker store type {kind or 'none'!r} is not SQL")
    cfg = {k: _expand(v, env) for k, v in store.items()}
    dialect = cfg.get("dialect") or "sqlite"
    db = cfg.get("db") or "rasa.db"
    if dialect == "sqlite":
        path = Path(db) if Path(db).is_absolute() else ROOT / db
        return sa.engine.URL.create("sqlite", database=str(path))
    port = cfg.get("port")
    return sa.engine.URL.create(
        dialect,
        username=cfg.get("username"),
        password=cfg.get("password"),
        host=cfg.get("url") or cfg.get("host"),
        port=int(port) if port not in (None, "") else None,
        database=db,
        query=cfg.get("query") or {},
    )


def tracker_db_url(env: Mapping[str, str] | None = None) -> sa.engine.URL | str:
    """The tracker store's database URL: ``TRACKER_DB_URL`` or from the endpoints file."""
    env = settings.environment() if env is None else env  # ${VARS} in the endpoints file
    given = settings.TRACKER_DB_URL.read(env)
    if given:
        return given
    return db_url_from_config(tracker_store_section(env), env)


def tracker_store_section(env: Mapping[str, str]) -> dict[str, Any]:
    """The ``tracker_store`` section of the endpoints file, as written (``${VARS}`` kept)."""
    path = endpoints_path(env)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise TrackerStoreConfigError(f"cannot read {path}: {err}") from err
    store = raw.get("tracker_store")
    if not isinstance(store, dict):
        raise TrackerStoreConfigError(f"{path} has no tracker_store section")
    return store


def login_database(env: Mapping[str, str] | None = None) -> str | None:
    """The database Rasa connects to first to create the tracker database (``login_db``)."""
    env = settings.environment() if env is None else env  # ${VARS} in the endpoints file
    if settings.TRACKER_DB_URL.read(env):
        return None
    value = _expand(tracker_store_section(env).get("login_db"), env)
    return str(value) if value else None


TrackerSource: TypeAlias = Path | sa.engine.URL  # an SQLite file, or any other database's URL


def tracker_source(env: Mapping[str, str] | None = None) -> TrackerSource:
    """The tracker store's database for readers: the SQLite file, or another database's URL.

    The same setting as :func:`tracker_db_url`; an endpoints file that cannot be read
    falls back to the default ``var/tracker.db``.
    """
    try:
        url = sa.engine.make_url(tracker_db_url(env))
    except TrackerStoreConfigError:
        return ROOT / "var" / "tracker.db"
    if url.get_backend_name() == "sqlite" and url.database:
        return Path(url.database)
    return url


class ConversationStore:
    """Deletes conversations (all their events) from the tracker store's database."""

    def __init__(self, url: sa.engine.URL | str) -> None:
        # hide_parameters: a database error must not carry sender ids into the logs
        self.engine = sa.create_engine(url, pool_pre_ping=True, hide_parameters=True, future=True)
        if self.engine.url.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", lambda conn, _record: secure_delete(conn))

    def _ready(self) -> bool:
        """True if there is an events table (a missing SQLite file is not created)."""
        url = self.engine.url
        on_disk = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        if on_disk and not Path(str(url.database)).exists():
            return False
        return sa.inspect(self.engine).has_table("events")

    def _prepare(self) -> None:
        """Our tables, if Rasa made the database but not them yet."""
        create_our_tables(self.engine)

    def delete(self, sender_id: str) -> int:
        """Delete every event (and checkpoint) of one conversation; return how many events went.

        Leaves a deletion marker (:mod:`bot.storage.deletions`) and scrubs an SQLite file.
        """
        if not self._ready():
            return 0
        self._prepare()
        with self.engine.begin() as db:
            removed = deletions.erase(db, [sender_id], time.time())
        deletions.truncate_log(self.engine)
        return removed

    def purge_older_than(self, cutoff: float) -> tuple[int, int]:
        """Delete conversations whose last event is older than ``cutoff`` (a Unix time).

        Returns (conversations, rows) deleted. A conversation still in use keeps all its
        events, old ones included, so that it is never cut in half. Markers older than the
        cutoff go too; each purged conversation leaves a new one.
        """
        if not self._ready():
            return 0, 0
        self._prepare()
        last = sa.func.max(EVENTS.c.timestamp)
        stale = (
            sa.select(EVENTS.c.sender_id)
            .group_by(EVENTS.c.sender_id)
            .having(sa.or_(last < cutoff, last.is_(None)))
        )
        with self.engine.begin() as db:
            deletions.forget_markers_before(db, cutoff)
            senders = [row[0] for row in db.execute(stale)]
            rows = deletions.erase(db, senders, time.time())
            # a checkpoint never outlives its conversation's events
            alive = sa.select(EVENTS.c.sender_id).distinct()
            db.execute(CHECKPOINTS.delete().where(CHECKPOINTS.c.sender_id.not_in(alive)))
        deletions.truncate_log(self.engine)
        return len(senders), rows

    def senders(self) -> list[str]:
        """Every stored conversation id (for tests and reports)."""
        if not self._ready():
            return []
        with self.engine.connect() as db:
            return [row[0] for row in db.execute(sa.select(EVENTS.c.sender_id).distinct())]

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()
