"""``python -m bot.web`` as a real process on a free loopback port, for tests that need a socket
(a browser, raw connections, the whole stack)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.operations.processes import free_port, running


def python_module(module: str) -> list[str]:
    """``python -m module`` with this interpreter."""
    return [sys.executable, "-m", module]


def gateway_files(files: Path) -> dict[str, str]:
    """A test gateway's own files (referrals, outbox, feedback), under ``files``."""
    return {
        "REFERRAL_STORE": str(files / "referrals.db"),
        "OUTBOX_DIR": str(files / "outbox"),
        "FEEDBACK_STORE": str(files / "insight.db"),
    }


def gateway_settings(
    files: Path, port: int, rasa_urls: str, action_url: str, **extra: str
) -> dict[str, str]:
    """What every test gateway is told: where it listens, where Rasa and the action server
    are, and its own files under ``files``; ``extra`` adds to it or overrides it."""
    return {
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(port),
        "RASA_URLS": rasa_urls,
        "ACTION_SERVER_URL": action_url,
        **gateway_files(files),
        **extra,
    }


@dataclass(frozen=True)
class LiveGateway:
    """A running gateway: its port, base URL and log file."""

    port: int
    log: Path

    @property
    def url(self) -> str:
        """Its base URL."""
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def live_gateway(
    work: Path, upstream_url: str, health_path: str = "/health", **settings: str
) -> Iterator[LiveGateway]:
    """The gateway in front of ``upstream_url`` (a fake Rasa + action server), with its files
    and its tracker database under ``work``, answering ``health_path`` until the block ends."""
    gateway = LiveGateway(free_port(), work / "gateway.log")
    env = gateway_settings(
        work, gateway.port, upstream_url, upstream_url,
        TRACKER_DB_URL=f"sqlite:///{work / 'tracker.db'}", **settings,
    )
    with running(python_module("bot.web"), env, f"{gateway.url}{health_path}", gateway.log,
                 30, name="gateway"):
        yield gateway
