"""Every setting the assistant reads from its environment: one table, typed readers, the docs.

Each :class:`Setting` has a name, a type, a default (written as an operator would write it) and
one line for the operator. Modules read a value with ``settings.GATEWAY_PORT.read()``, or
``settings.GATEWAY_PORT.read(env)`` for a mapping other than the process environment; values
are read at call time, never frozen at import. ``settings.get("GATEWAY_PORT")`` finds a setting
by name. ``python -m bot.settings`` prints ``docs/settings.md`` (``make settings``).

Reading rules, the same for every setting: surrounding spaces are ignored (except in
passwords); an unset or blank value means the default (a blank true/false setting is false);
a value that does not parse raises ``ValueError``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from bot.paths import REPO

T = TypeVar("T")

__all__ = ["TABLE", "Kind", "Setting", "environment", "get", "markdown"]


def split_list(text: str) -> tuple[str, ...]:
    """A comma-separated list; parts stripped of spaces and a trailing ``/``, blanks dropped."""
    return tuple(part.strip().rstrip("/") for part in text.split(",") if part.strip())


def truth(text: str) -> bool:
    """``1``, ``true``, ``yes`` or ``on`` (any case) is true; anything else is false."""
    return text.strip().lower() in {"1", "true", "yes", "on"}


def repo_path(text: str) -> Path:
    """A path; a relative one is taken from the repository's folder."""
    path = Path(text)
    return path if path.is_absolute() else REPO / path


def _blank(text: str) -> bool:
    return not text


@dataclass(frozen=True)
class Kind(Generic[T]):
    """A type of setting: how its text is parsed, and when it counts as not given."""

    name: str  # as the docs show it
    parse: Callable[[str], T]
    strip: bool = True
    is_blank: Callable[[str], bool] = _blank


TEXT = Kind("text", str)
PASSWORD = Kind("password", str, strip=False)  # kept exactly as given, spaces included
INTEGER = Kind("whole number", int)
NUMBER = Kind("number", float)
BOOLEAN = Kind("true/false", truth, is_blank=lambda _text: False)
LIST = Kind("comma-separated list", split_list, is_blank=lambda text: not split_list(text))
PATH = Kind("path", repo_path)


def environment() -> Mapping[str, str]:
    """The process environment itself, for code that needs all of it (``${VARS}``)."""
    return os.environ


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One environment variable: its name, type, default and what it does."""

    name: str
    kind: Kind[T]
    default: str
    about: str
    group: str
    reader: str = ""  # who reads it, when that is not the project's own code

    def given(self, env: Mapping[str, str] | None = None) -> bool:
        """True when the variable is set at all (even to a blank value)."""
        return self.name in (os.environ if env is None else env)

    def text(self, env: Mapping[str, str] | None = None) -> str:
        """The value as given (stripped, except passwords); ``""`` when unset."""
        raw = (os.environ if env is None else env).get(self.name, "")
        return raw.strip() if self.kind.strip else raw

    @property
    def default_value(self) -> T:
        """The default, parsed."""
        return self.kind.parse(self.default)

    def read(self, env: Mapping[str, str] | None = None) -> T:
        """The value, parsed; the default when unset or blank. Raises ValueError if bad."""
        text = self.text(env)
        if not self.given(env) or self.kind.is_blank(text):
            return self.default_value
        return self.kind.parse(text)

    def read_or_default(self, env: Mapping[str, str] | None = None) -> T:
        """As :meth:`read`, but a value that does not parse means the default."""
        try:
            return self.read(env)
        except ValueError:
            return self.default_value


_TABLE: list[Setting[Any]] = []


@dataclass(frozen=True)
class _Group:
    title: str

    def add(self, name: str, kind: Kind[T], default: str, about: str,
            reader: str = "") -> Setting[T]:
        setting = Setting(name, kind, default, about, self.title, reader)
        _TABLE.append(setting)
        return setting


_run = _Group("Starting the assistant")
ENDPOINTS_FILE = _run.add(
    "ENDPOINTS_FILE", PATH, "endpoints.yml",
    "Rasa's endpoints: `endpoints.yml` (SQLite, in-memory locks) or "
    "`deploy/endpoints.production.yml` (PostgreSQL + Redis)")
CREDENTIALS_FILE = _run.add(
    "CREDENTIALS_FILE", TEXT, "credentials.yml",
    "Rasa's channels: the guarded REST channel (`bot/rasa_plugins/channel.py`)")
RASA_INSTANCES = _run.add(
    "RASA_INSTANCES", INTEGER, "1",
    "how many Rasa processes the launcher starts (1 to 16; the Makefile sets 2)")
RASA_PORT = _run.add(
    "RASA_PORT", INTEGER, "5005",
    "the first Rasa instance's loopback port; the others follow on consecutive ports")
ACTION_SERVER_PORT = _run.add(
    "ACTION_SERVER_PORT", INTEGER, "5055", "the action server's loopback port")
SANIC_HOST = _run.add(
    "SANIC_HOST", TEXT, "127.0.0.1",
    "the action server's address (the action server sets the loopback default)",
    reader="rasa-sdk")
TICKET_LOCK_LIFETIME = _run.add(
    "TICKET_LOCK_LIFETIME", INTEGER, "60",
    "seconds a turn may hold its conversation's lock (the launcher sets 10 with several "
    "instances); keep it above the slowest turn", "Rasa")
SCHEMA_WAIT_SECONDS = _run.add(
    "SCHEMA_WAIT_SECONDS", NUMBER, "30",
    "how long the schema step waits for the database server before the start fails")
VAR_DIR = _run.add(
    "VAR_DIR", PATH, "var",
    "the data folder checked before the start (tracker store, drafts, outbox)")
MIN_FREE_MB = _run.add(
    "MIN_FREE_MB", INTEGER, "100",
    "the launcher and the gateway refuse to start with less free space (MB) for the data "
    "folder (a bad value: 100)")
LOG_LEVEL = _run.add(
    "LOG_LEVEL", TEXT, "INFO", "log level of the action server and the gateway")
WAIT_FOR_UPSTREAM_SECONDS = _run.add(
    "WAIT_FOR_UPSTREAM_SECONDS", NUMBER, "0",
    "`python -m bot.web` only: print the \"open\" line once Rasa and the action server answer")

_content = _Group("Content")
BOT_COUNCIL = _content.add(
    "BOT_COUNCIL", TEXT, "hertfordshire",
    "which council's content file to load (`bot/guidance/content/<council>.yml`)")
CONTENT_DIR = _content.add(
    "CONTENT_DIR", TEXT, "",
    "a folder to read content files from instead of `bot/guidance/content/`")
CONTENT_MAX_AGE_DAYS = _content.add(
    "CONTENT_MAX_AGE_DAYS", INTEGER, "365",
    "`make check-content`: items not reviewed for this many days are listed as stale")
CONTENT_URL_TIMEOUT = _content.add(
    "CONTENT_URL_TIMEOUT", NUMBER, "10",
    "`make check-content`: seconds to wait for each URL in the live check")
POSTCODE_LOOKUP = _content.add(
    "POSTCODE_LOOKUP", TEXT, "off",
    "`live` refines full postcodes with a postcode API (2 s timeout, then the offline tables)")
POSTCODE_LOOKUP_URL = _content.add(
    "POSTCODE_LOOKUP_URL", TEXT, "https://api.postcodes.io/postcodes/",
    "the postcodes.io-style API for the live lookup")

_web = _Group("Web gateway")
GATEWAY_HOST = _web.add("GATEWAY_HOST", TEXT, "127.0.0.1", "the address the gateway listens on")
GATEWAY_PORT = _web.add("GATEWAY_PORT", INTEGER, "8000", "the gateway's port")
RASA_URLS = _web.add(
    "RASA_URLS", LIST, "http://127.0.0.1:5005",
    "the Rasa instances; a sender sticks to one by hash and fails over to the next "
    "(the launcher sets it from the ports)")
ACTION_SERVER_URL = _web.add(
    "ACTION_SERVER_URL", TEXT, "http://127.0.0.1:5055",
    "where Rasa and the gateway's health check find the action server (the launcher's "
    "default follows `ACTION_SERVER_PORT`; set but empty: the gateway does not check it)")
RASA_TIMEOUT_SECONDS = _web.add(
    "RASA_TIMEOUT_SECONDS", NUMBER, "10",
    "how long the gateway waits for Rasa (15 with several instances); keep it above "
    "`TICKET_LOCK_LIFETIME`")
RASA_CONCURRENCY = _web.add(
    "RASA_CONCURRENCY", INTEGER, "3",
    "turns in progress per Rasa instance; more wait in arrival order (0: no limit)")
HEALTH_TIMEOUT_SECONDS = _web.add(
    "HEALTH_TIMEOUT_SECONDS", NUMBER, "2", "how long a health check of Rasa may take")
ACTION_CHECK_TTL_SECONDS = _web.add(
    "ACTION_CHECK_TTL_SECONDS", NUMBER, "5",
    "how long the action server's health is remembered")
REQUEST_TIMEOUT_SECONDS = _web.add(
    "REQUEST_TIMEOUT_SECONDS", NUMBER, "10", "slow clients are cut off after this")
KEEP_ALIVE_TIMEOUT_SECONDS = _web.add(
    "KEEP_ALIVE_TIMEOUT_SECONDS", NUMBER, "5", "idle connections are closed after this")
RESPONSE_TIMEOUT_SECONDS = _web.add(
    "RESPONSE_TIMEOUT_SECONDS", NUMBER, "0",
    "the longest answer time (0: `RASA_TIMEOUT_SECONDS` + `HEALTH_TIMEOUT_SECONDS` + 5)")
PROXIES_COUNT = _web.add(
    "PROXIES_COUNT", INTEGER, "0",
    "set to 1 behind one reverse proxy, so the visitor's address comes from X-Forwarded-For")
ALLOWED_ORIGINS = _web.add(
    "ALLOWED_ORIGINS", LIST, "", "council pages allowed to embed the widget (CORS)")
PUBLIC_ORIGINS = _web.add(
    "PUBLIC_ORIGINS", LIST, "",
    "origins people open the gateway at, e.g. `https://send.example.gov.uk` (empty: "
    "localhost, 127.0.0.1 and [::1] on the gateway's port; the Host header is never trusted)")
FRAME_ANCESTORS = _web.add(
    "FRAME_ANCESTORS", TEXT, "'self'", "the Content-Security-Policy frame-ancestors")
GATEWAY_SECRET = _web.add(
    "GATEWAY_SECRET", TEXT, "",
    "signs conversation ids: set it (32+ random bytes), the same on every gateway and "
    "across restarts (empty: random at each start)")
FORM_TOKEN_HOURS = _web.add(
    "FORM_TOKEN_HOURS", NUMBER, "24", "how long a page's hidden form token is valid")
MAX_BODY_BYTES = _web.add(
    "MAX_BODY_BYTES", INTEGER, "8192", "the largest API request body")
MAX_MESSAGE_CHARS = _web.add(
    "MAX_MESSAGE_CHARS", INTEGER, "1000", "the longest message a person may send")
STRICT_PAYLOADS = _web.add(
    "STRICT_PAYLOADS", BOOLEAN, "true",
    "only accept button payloads the assistant offered (false with several gateways "
    "and no sticky sessions)")
ALLOWED_COMMANDS = _web.add(
    "ALLOWED_COMMANDS", LIST, "/greet,/restart", "payloads a person may always send")
WIDGET_START_PAYLOAD = _web.add(
    "WIDGET_START_PAYLOAD", TEXT, "/greet", "what the widget sends to start a conversation")
REDACT_MESSAGES = _web.add(
    "REDACT_MESSAGES", BOOLEAN, "true",
    "redact personal details from messages before Rasa stores them")
TRACKER_DB_URL = _web.add(
    "TRACKER_DB_URL", TEXT, "",
    "the tracker store's database for \"Delete my conversation\", `make purge` and the "
    "report (empty: the one in `ENDPOINTS_FILE`)")

_rates = _Group("Rate limits")
RATE_SENDER_PER_MIN = _rates.add(
    "RATE_SENDER_PER_MIN", NUMBER, "30", "messages per minute per conversation")
RATE_SENDER_BURST = _rates.add(
    "RATE_SENDER_BURST", INTEGER, "10", "messages at once per conversation")
RATE_SESSION_PER_MIN = _rates.add(
    "RATE_SESSION_PER_MIN", NUMBER, "30", "new conversations per minute per address")
RATE_SESSION_BURST = _rates.add(
    "RATE_SESSION_BURST", INTEGER, "60", "new conversations at once per address")
RATE_IP_PER_MIN = _rates.add(
    "RATE_IP_PER_MIN", NUMBER, "1200",
    "requests per minute per address (a backstop: many families share one address)")
RATE_IP_BURST = _rates.add(
    "RATE_IP_BURST", INTEGER, "400", "requests at once per address")

_requests = _Group("Service requests")
TOKEN_TTL_HOURS = _requests.add(
    "TOKEN_TTL_HOURS", NUMBER, "24", "how long a service request draft is kept")
REFERRAL_STORE = _requests.add(
    "REFERRAL_STORE", PATH, "var/referrals.db", "the service request drafts (SQLite)")
OUTBOX_DIR = _requests.add(
    "OUTBOX_DIR", PATH, "var/outbox", "where copies are written as .eml when SMTP is not set")
SMTP_HOST = _requests.add(
    "SMTP_HOST", TEXT, "", "the mail server (copies are e-mailed when host, from and to are set)")
SMTP_PORT = _requests.add("SMTP_PORT", INTEGER, "587", "the mail server's port")
SMTP_USER = _requests.add("SMTP_USER", TEXT, "", "the mail server's user name")
SMTP_PASSWORD = _requests.add(
    "SMTP_PASSWORD", PASSWORD, "", "the mail server's password")
SMTP_STARTTLS = _requests.add(
    "SMTP_STARTTLS", BOOLEAN, "true", "use STARTTLS with the mail server")
SMTP_FROM = _requests.add("SMTP_FROM", TEXT, "", "the sender address of the copies")
SMTP_TO = _requests.add("SMTP_TO", TEXT, "", "the council mailbox the copies go to")

_kept = _Group("Feedback, retention and the report")
RETENTION_DAYS = _kept.add(
    "RETENTION_DAYS", INTEGER, "30",
    "whole days conversations and drafts are kept (`make purge`; shown on /privacy)")
FEEDBACK_STORE = _kept.add(
    "FEEDBACK_STORE", PATH, "var/insight.db", "the feedback and counters (SQLite)")
FEEDBACK_RETENTION_DAYS = _kept.add(
    "FEEDBACK_RETENTION_DAYS", INTEGER, "30", "whole days feedback rows are kept (`make purge`)")
ADMIN_REPORT_TOKEN = _kept.add(
    "ADMIN_REPORT_TOKEN", TEXT, "", "the token for the report page (empty: the page is off)")
REPORT_DIR = _kept.add(
    "REPORT_DIR", PATH, "var/report", "where `make report` writes its CSV and charts")

_production = _Group("Production profile (deploy/endpoints.production.yml)")
_IN_ENDPOINTS = "Rasa and the schema step, from the endpoints file"
TRACKER_DB_HOST = _production.add(
    "TRACKER_DB_HOST", TEXT, "127.0.0.1", "the PostgreSQL tracker store's host", _IN_ENDPOINTS)
TRACKER_DB_PORT = _production.add(
    "TRACKER_DB_PORT", INTEGER, "5432", "its port", _IN_ENDPOINTS)
TRACKER_DB_NAME = _production.add(
    "TRACKER_DB_NAME", TEXT, "eysend", "its database", _IN_ENDPOINTS)
TRACKER_DB_USER = _production.add(
    "TRACKER_DB_USER", TEXT, "postgres", "its user", _IN_ENDPOINTS)
TRACKER_DB_PASSWORD = _production.add(
    "TRACKER_DB_PASSWORD", PASSWORD, "", "its password", _IN_ENDPOINTS)
TRACKER_DB_LOGIN_DB = _production.add(
    "TRACKER_DB_LOGIN_DB", TEXT, "postgres",
    "the database connected to first, to create `TRACKER_DB_NAME` if it is missing",
    _IN_ENDPOINTS)
TRACKER_DB_CONNECT_TIMEOUT = _production.add(
    "TRACKER_DB_CONNECT_TIMEOUT", INTEGER, "3",
    "seconds before a connection attempt counts as \"database down\"", _IN_ENDPOINTS)
REDIS_HOST = _production.add(
    "REDIS_HOST", TEXT, "127.0.0.1", "the Redis lock store's host", _IN_ENDPOINTS)
REDIS_PORT = _production.add("REDIS_PORT", INTEGER, "6379", "its port", _IN_ENDPOINTS)
REDIS_DB = _production.add("REDIS_DB", INTEGER, "1", "its database number", _IN_ENDPOINTS)
REDIS_PASSWORD = _production.add(
    "REDIS_PASSWORD", PASSWORD, "", "its password", _IN_ENDPOINTS)
REDIS_KEY_PREFIX = _production.add(
    "REDIS_KEY_PREFIX", TEXT, "eysend", "its key prefix (letters and digits only)",
    _IN_ENDPOINTS)

TABLE: tuple[Setting[Any], ...] = tuple(_TABLE)
_BY_NAME: dict[str, Setting[Any]] = {setting.name: setting for setting in TABLE}


def get(name: str) -> Setting[Any]:
    """The setting called ``name`` (KeyError if the table has none)."""
    return _BY_NAME[name]


def in_group(title: str) -> tuple[Setting[Any], ...]:
    """The settings of one group of the table, in table order."""
    return tuple(setting for setting in TABLE if setting.group == title)


PRODUCTION_GROUP = _production.title


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """docs/settings.md: every setting, grouped, with its type, default and what it does."""
    lines = [
        "# Settings",
        "",
        "Every environment variable the assistant reads, generated from `bot/settings.py`",
        "(`make settings`; `tests/test_settings.py` checks this file is up to date).",
        "Spaces around a value are ignored (except in passwords); unset or blank means the",
        "default (a blank true/false setting is false); a value that does not parse stops",
        "the program that reads it.",
    ]
    titles = list(dict.fromkeys(setting.group for setting in TABLE))
    for title in titles:
        lines += ["", f"## {title}", "", "| variable | type | default | what it does |",
                  "| --- | --- | --- | --- |"]
        for s in in_group(title):
            default = f"`{s.default}`" if s.default else "(empty)"
            about = s.about + (f" (read by {s.reader})" if s.reader else "")
            lines.append(f"| `{s.name}` | {s.kind.name} | {_cell(default)} | {_cell(about)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
