"""The tracker store's schema is made once, before Rasa (``python -m bot.operations.schema``).

Two Rasa instances starting together on an empty PostgreSQL both created the database and
its tables, and the loser died. Measured before the fix: four tracker stores made at the
same moment on a missing database failed in 4 of 6 tries. The launcher's start from a
dropped database is tested in tests/integration/test_supervised.py.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from bot.operations.schema import prepare
from bot.storage.tracker_tables import EVENTS, METADATA
from tests.helpers.services import port_open, unavailable

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = str(ROOT / "deploy" / "endpoints.production.yml")


def test_our_events_table_is_rasas() -> None:
    """Created before Rasa starts, so it must be exactly the table Rasa would make."""
    rasa = SQLTrackerStore.SQLEvent.__table__
    ours = [(c.name, type(c.type), c.primary_key, c.nullable) for c in EVENTS.columns]
    assert ours == [(c.name, type(c.type), c.primary_key, c.nullable) for c in rasa.columns]
    lengths = [getattr(c.type, "length", None) for c in EVENTS.columns]
    assert lengths == [getattr(c.type, "length", None) for c in rasa.columns]
    assert {i.name for i in EVENTS.indexes} == {i.name for i in rasa.indexes}


def test_an_sqlite_store_is_made_in_a_new_folder(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f"tracker_store:\n  type: bot.rasa_plugins.tracker_store.RedactingSQLTrackerStore\n"
        f"  dialect: sqlite\n  db: {tmp_path / 'new' / 'tracker.db'}\n"
    )
    said = prepare({"ENDPOINTS_FILE": str(endpoints)})
    with sqlite3.connect(tmp_path / "new" / "tracker.db") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {t.name for t in METADATA.sorted_tables} <= tables
    assert "events" in said and prepare({"ENDPOINTS_FILE": str(endpoints)}).endswith(
        "(nothing to create).")


@pytest.fixture
def missing_database() -> Iterator[dict[str, str]]:
    """Settings for a production tracker store whose database does not exist yet."""
    if not port_open("127.0.0.1", 5432):
        unavailable("PostgreSQL is not listening on 127.0.0.1:5432")
    name = f"eysend_schema_{secrets.token_hex(4)}"
    env = {
        "ENDPOINTS_FILE": PRODUCTION, "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": "5432",
        "TRACKER_DB_NAME": name, "TRACKER_DB_USER": "postgres", "TRACKER_DB_PASSWORD": "",
        "TRACKER_DB_LOGIN_DB": "postgres", "TRACKER_DB_CONNECT_TIMEOUT": "3",
    }
    yield env
    admin = sa.create_engine("postgresql://postgres@127.0.0.1:5432/postgres",
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def store_config(env: dict[str, str]) -> EndpointConfig:
    return EndpointConfig(
        type="bot.rasa_plugins.tracker_store.ProductionTrackerStore", dialect="postgresql",
        url="127.0.0.1",
        port=5432, db=env["TRACKER_DB_NAME"], username="postgres", login_db="postgres",
    )


def test_after_the_schema_step_instances_starting_together_all_come_up(
    missing_database: dict[str, str],
) -> None:
    """Two schema steps at once (two machines), then four Rasa tracker stores at once."""
    said: list[str] = []
    steps = [threading.Thread(target=lambda: said.append(prepare(missing_database)))
             for _ in range(2)]
    for step in steps:
        step.start()
    for step in steps:
        step.join(60)
    assert len(said) == 2 and any("database eysend_schema_" in s for s in said), said

    barrier, failures = threading.Barrier(4), []

    def start_an_instance() -> None:
        barrier.wait()
        try:
            TrackerStore.create(store_config(missing_database), Domain.empty()).engine.dispose()
        except Exception as err:  # what killed an instance before the fix
            failures.append(f"{type(err).__name__}: {err}")

    instances = [threading.Thread(target=start_an_instance) for _ in range(4)]
    for instance in instances:
        instance.start()
    for instance in instances:
        instance.join(60)
    assert failures == []
