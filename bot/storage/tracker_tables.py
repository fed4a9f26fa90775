"""The tables of the tracker store's database, as Rasa and this assistant use them.

- ``events``: Rasa's own table (one row per event), declared here with the same columns,
  types and index as Rasa 3.6's ``SQLTrackerStore.SQLEvent`` so the assistant can create
  and delete without loading Rasa (``tests/test_schema.py`` checks they agree).
- ``tracker_checkpoints``: a long conversation's state (:mod:`bot.rasa_plugins.tracker_window`).
- ``conversation_deletions``: one marker per deleted conversation (:mod:`bot.storage.deletions`),
  keyed by a hash of the conversation id, so that no process uses what was deleted.
"""

from __future__ import annotations

import sqlalchemy as sa

METADATA = sa.MetaData()

EVENTS = sa.Table(
    "events",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

# Where a conversation's state is summed up so that a turn reads only its recent events
# (see bot/rasa_plugins/tracker_window.py). A row holds no more than the slots the events hold,
# redacted.
CHECKPOINTS = sa.Table(
    "tracker_checkpoints",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("from_event_id", sa.Integer, nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("data", sa.Text, nullable=False),
)

# Ids only ever grow (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), so "the newest
# marker is the one I saw" is a sound test.
DELETIONS = sa.Table(
    "conversation_deletions",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("deleted_at", sa.Float, nullable=False),
    sa.Column("sender_key", sa.String(64), nullable=False, index=True),  # SHA-256, hex
    sqlite_autoincrement=True,
)

OUR_TABLES = (CHECKPOINTS, DELETIONS)  # the ones Rasa does not create itself


def create_our_tables(engine: sa.engine.Engine) -> None:
    """Create the assistant's own tables where they are missing.

    Several processes may try at once (Rasa instances that were started by hand, not by the
    launcher): a loser's error is ignored if the table is there afterwards.
    """
    for table in OUR_TABLES:
        try:
            table.create(engine, checkfirst=True)
        except sa.exc.DBAPIError:
            if not sa.inspect(engine).has_table(table.name):
                raise
