"""Which Rasa profile to run, read from the environment (pure logic, used by the launcher).

- ``ENDPOINTS_FILE``: ``endpoints.yml`` (default: SQLite on disk, one instance) or
  ``deploy/endpoints.production.yml`` (PostgreSQL tracker store, Redis lock store).
- ``CREDENTIALS_FILE``: default ``credentials.yml`` (the guarded REST channel).
- ``RASA_INSTANCES``: how many Rasa processes, on consecutive ports from ``RASA_PORT``.

The production file names ``${VARS}`` that Rasa refuses to start without; the
defaults below (all on loopback) fill in the ones that are not set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ENDPOINTS = "endpoints.yml"
DEFAULT_CREDENTIALS = "credentials.yml"
MAX_INSTANCES = 16

PRODUCTION_DEFAULTS: dict[str, str] = {
    "TRACKER_DB_HOST": "127.0.0.1",
    "TRACKER_DB_PORT": "5432",
    "TRACKER_DB_NAME": "eysend",
    "TRACKER_DB_USER": "postgres",
    "TRACKER_DB_PASSWORD": "",
    "TRACKER_DB_LOGIN_DB": "postgres",
    "TRACKER_DB_CONNECT_TIMEOUT": "3",
    "REDIS_HOST": "127.0.0.1",
    "REDIS_PORT": "6379",
    "REDIS_DB": "1",
    "REDIS_PASSWORD": "",
    "REDIS_KEY_PREFIX": "eysend",
}
# With several instances, a ticket held by a killed instance blocks that conversation
# until it expires: keep it short, and the gateway's wait for Rasa longer than it.
MULTI_INSTANCE_DEFAULTS: dict[str, str] = {
    "TICKET_LOCK_LIFETIME": "10",
    "RASA_TIMEOUT_SECONDS": "15",
}


class ProfileError(ValueError):
    """The environment asks for something that cannot run."""


@dataclass(frozen=True)
class Profile:
    """The Rasa processes to start and the environment they (and the gateway) get."""

    endpoints: str
    credentials: str
    rasa_ports: tuple[int, ...]
    env: dict[str, str]

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        """Loopback URLs of the Rasa instances, in port order."""
        return tuple(f"http://127.0.0.1:{port}" for port in self.rasa_ports)


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError as err:
        raise ProfileError(f"{name} must be a whole number, not {raw!r}") from err


def uses_placeholders(endpoints_text: str) -> bool:
    """True when an endpoints file names environment variables (``${...}``)."""
    return "${" in endpoints_text


def resolve(env: Mapping[str, str], root: Path) -> Profile:
    """Work out the profile from the environment; raise ProfileError if it cannot run."""
    endpoints = env.get("ENDPOINTS_FILE", "").strip() or DEFAULT_ENDPOINTS
    credentials = env.get("CREDENTIALS_FILE", "").strip() or DEFAULT_CREDENTIALS
    for label, name in (("ENDPOINTS_FILE", endpoints), ("CREDENTIALS_FILE", credentials)):
        if not (root / name).is_file():
            raise ProfileError(f"{label} {name} does not exist")
    count = _int(env, "RASA_INSTANCES", 1)
    if not 1 <= count <= MAX_INSTANCES:
        raise ProfileError(f"RASA_INSTANCES must be 1 to {MAX_INSTANCES}, not {count}")
    first = _int(env, "RASA_PORT", 5005)
    ports = tuple(range(first, first + count))
    if ports[-1] > 65535 or first < 1:
        raise ProfileError(f"RASA_PORT {first} leaves no room for {count} instances")

    extra: dict[str, str] = {}
    action_port = _int(env, "ACTION_SERVER_PORT", 5055)
    extra["ACTION_SERVER_URL"] = (
        env.get("ACTION_SERVER_URL", "").strip().rstrip("/") or f"http://127.0.0.1:{action_port}"
    )
    if uses_placeholders((root / endpoints).read_text(encoding="utf-8")):
        extra.update({k: v for k, v in PRODUCTION_DEFAULTS.items() if k not in env})
    if count > 1:
        extra.update({k: v for k, v in MULTI_INSTANCE_DEFAULTS.items() if k not in env})
    extra["RASA_URLS"] = env.get("RASA_URLS", "").strip() or ",".join(
        f"http://127.0.0.1:{port}" for port in ports
    )
    return Profile(endpoints, credentials, ports, extra)
