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

from bot import settings
from bot.settings import Setting

DEFAULT_ENDPOINTS = settings.ENDPOINTS_FILE.default
DEFAULT_CREDENTIALS = settings.CREDENTIALS_FILE.default
MAX_INSTANCES = 16

# What the production endpoints file's ${VARS} are when not set (the settings table's defaults).
PRODUCTION_DEFAULTS: dict[str, str] = {
    s.name: s.default for s in settings.in_group(settings.PRODUCTION_GROUP)
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


def _int(env: Mapping[str, str], setting: Setting[int]) -> int:
    try:
        return setting.read(env)
    except ValueError as err:
        raise ProfileError(
            f"{setting.name} must be a whole number, not {setting.text(env)!r}"
        ) from err


def uses_placeholders(endpoints_text: str) -> bool:
    """True when an endpoints file names environment variables (``${...}``)."""
    return "${" in endpoints_text


def resolve(env: Mapping[str, str], root: Path) -> Profile:
    """Work out the profile from the environment; raise ProfileError if it cannot run."""
    endpoints = settings.ENDPOINTS_FILE.text(env) or DEFAULT_ENDPOINTS
    credentials = settings.CREDENTIALS_FILE.read(env)
    for label, name in (("ENDPOINTS_FILE", endpoints), ("CREDENTIALS_FILE", credentials)):
        if not (root / name).is_file():
            raise ProfileError(f"{label} {name} does not exist")
    count = _int(env, settings.RASA_INSTANCES)
    if not 1 <= count <= MAX_INSTANCES:
        raise ProfileError(f"RASA_INSTANCES must be 1 to {MAX_INSTANCES}, not {count}")
    first = _int(env, settings.RASA_PORT)
    ports = tuple(range(first, first + count))
    if ports[-1] > 65535 or first < 1:
        raise ProfileError(f"RASA_PORT {first} leaves no room for {count} instances")

    extra: dict[str, str] = {}
    action_port = _int(env, settings.ACTION_SERVER_PORT)
    extra["ACTION_SERVER_URL"] = (
        settings.ACTION_SERVER_URL.text(env).rstrip("/") or f"http://127.0.0.1:{action_port}"
    )
    if uses_placeholders((root / endpoints).read_text(encoding="utf-8")):
        extra.update({k: v for k, v in PRODUCTION_DEFAULTS.items() if k not in env})
    if count > 1:
        extra.update({k: v for k, v in MULTI_INSTANCE_DEFAULTS.items() if k not in env})
    extra["RASA_URLS"] = settings.RASA_URLS.text(env) or ",".join(
        f"http://127.0.0.1:{port}" for port in ports
    )
    return Profile(endpoints, credentials, ports, extra)
