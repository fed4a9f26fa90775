"""``python -m bot.operations.schema``: make the tracker store's database and tables once, first.

Rasa's SQL tracker store creates its database (from ``login_db``) and its table when it
starts. Two instances starting together on an empty PostgreSQL both try, and the loser
dies ("duplicate key value violates unique constraint pg_type_typname_nsp_index"). So the
launcher (and, under systemd, ``eysend-schema.service``) runs this first: it creates the
database if it is missing and every table (Rasa's ``events`` and ours, see
:mod:`bot.storage.tracker_tables`) under a PostgreSQL advisory lock, so that even two of these at
once (two machines) are safe. The Rasa instances then find everything in place.

It reads the same settings as Rasa (``ENDPOINTS_FILE``, the ``${VARS}`` of the production
file, with the launcher's defaults) and waits up to ``SCHEMA_WAIT_SECONDS`` (30) for the
database server to answer. Exit code 0 when the store is ready, 1 otherwise.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa

from bot import settings
from bot.operations.deploy_profile import ProfileError, resolve
from bot.paths import REPO
from bot.storage.conversations import TrackerStoreConfigError, login_database, tracker_db_url
from bot.storage.tracker_tables import METADATA

ROOT = REPO
SCHEMA_LOCK = 0x657973656E64  # "eysend": one advisory lock for creating the schema
DEFAULT_WAIT_SECONDS = settings.SCHEMA_WAIT_SECONDS.default_value


def create_database(url: sa.engine.URL, login_db: str) -> bool:
    """Create the PostgreSQL database ``url`` names, connecting to ``login_db``; True if made."""
    admin = sa.create_engine(
        url.set(database=login_db), isolation_level="AUTOCOMMIT", hide_parameters=True
    )
    try:
        with admin.connect() as db:
            db.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK})
            try:
                found = db.execute(
                    sa.text("SELECT 1 FROM pg_catalog.pg_database WHERE datname = :name"),
                    {"name": url.database},
                ).first()
                if found is None:
                    name = db.dialect.identifier_preparer.quote(str(url.database))
                    db.exec_driver_sql(f"CREATE DATABASE {name}")
                return found is None
            finally:
                db.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK})
    finally:
        admin.dispose()


def create_tables(url: sa.engine.URL) -> list[str]:
    """Create the tables that are missing; return their names."""
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, hide_parameters=True)
    try:
        with engine.begin() as db:
            if engine.dialect.name == "postgresql":
                db.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
            inspector = sa.inspect(db)
            missing = [t.name for t in METADATA.sorted_tables if not inspector.has_table(t.name)]
            METADATA.create_all(db, checkfirst=True)
        return missing
    finally:
        engine.dispose()


def prepare(env: Mapping[str, str], wait_seconds: float = DEFAULT_WAIT_SECONDS) -> str:
    """Create what is missing; a sentence saying what was done. Raises when it cannot."""
    url = sa.engine.make_url(tracker_db_url(env))
    login_db = login_database(env)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            made = []
            on_server = login_db and url.get_backend_name() == "postgresql"
            if on_server and create_database(url, str(login_db)):
                made.append(f"database {url.database}")
            tables = create_tables(url)
            break
        except sa.exc.OperationalError:  # the server is not up (yet)
            if time.monotonic() >= deadline:
                raise
            time.sleep(1)
    if tables:
        made.append("tables " + ", ".join(tables))
    return f"Tracker store ready ({', '.join(made) or 'nothing to create'})."


def main() -> int:
    """Prepare the tracker store with the launcher's settings; exit code 0 if it is ready."""
    try:
        env = {**settings.environment()}
        env = {**env, **resolve(env, ROOT).env}
        wait = settings.SCHEMA_WAIT_SECONDS.read(env)
        print(prepare(env, wait), flush=True)
    except (ProfileError, TrackerStoreConfigError, ValueError) as err:
        print(f"The tracker store is not configured properly: {err}", file=sys.stderr)
        return 1
    except sa.exc.SQLAlchemyError as err:
        reason = str(getattr(err, "orig", None) or type(err).__name__).strip().splitlines()[0]
        print(f"The tracker store's database could not be prepared: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
