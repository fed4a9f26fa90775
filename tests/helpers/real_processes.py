"""The real processes (action server, Rasa, gateway, the launcher) on free loopback ports,
for the integration tests: each with its own log file, always stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from bench.procs import command_line
from bot.operations import processes
from bot.operations.launcher import BASE_ENV
from bot.operations.processes import free_port, free_port_block, http_status, process_tree
from tests.helpers import ROOT
from tests.helpers.live_gateway import gateway_files, gateway_settings

PY = sys.executable
RASA = [PY, "-m", "bot.rasa_plugins.run"]  # Rasa with the overrides of bot/internals.py
MODEL = ROOT / "models" / "assistant.tar.gz"
START_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0
TEST_SECRET = "integration-test-secret-0123456789"
# Tests send faster than people: rate limits that never get in the way.
GENEROUS_RATES = {
    "RATE_SENDER_PER_MIN": "6000",
    "RATE_SENDER_BURST": "1000",
    "RATE_IP_PER_MIN": "60000",
    "RATE_IP_BURST": "10000",
}


def base_env(**extra: str) -> dict[str, str]:
    """The environment every process gets (the launcher's, and the repository on the path)."""
    return {**os.environ, "PYTHONPATH": str(ROOT), **BASE_ENV, **extra}


@dataclass
class Proc:
    """One real process on loopback, with its log file."""

    name: str
    command: list[str]
    health: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, wait: bool = True) -> Proc:
        """Start it (in its own process group) and, by default, wait for its health URL."""
        self.process = processes.start(
            self.command, self.env, ROOT, self.log, append=True, own_group=True
        )
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Poll the health URL until 200; NotReady with the log's tail if it dies or times out."""
        assert self.process is not None, f"{self.name} was not started"
        processes.wait_until_answers(self.health, self.process, timeout, self.name, self.log)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> None:
        """Stop its process group (SIGKILL if it does not stop in time)."""
        if self.process is not None:
            processes.stop(self.process, timeout, sig, whole_group=True)

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        self.stop(signal.SIGKILL)

    def tail(self, chars: int = 3000) -> str:
        """The end of its log."""
        return processes.log_tail(self.log, chars)


class ProcessGroup:
    """Processes a test module shares, in the order they start (:attr:`all`)."""

    all: list[Proc]

    def start(self) -> None:
        """Start every process at once, then wait until each answers."""
        for proc in self.all:
            proc.start(wait=False)
        for proc in self.all:
            proc.wait_ready()

    def stop(self) -> None:
        """Stop every process, the last started first."""
        for proc in reversed(self.all):
            proc.stop()


G = TypeVar("G", bound=ProcessGroup)


@contextlib.contextmanager
def kept_running(group: G) -> Iterator[G]:
    """``group`` started for the length of the block, and always stopped (even if starting
    failed half-way)."""
    try:
        group.start()
        yield group
    finally:
        group.stop()


def action_server(tmp: Path, port: int, **env: str) -> Proc:
    """The real action server (python -m bot.operations.action_server)."""
    return Proc(
        "actions", [PY, "-m", "bot.operations.action_server"], f"http://127.0.0.1:{port}/health",
        base_env(ACTION_SERVER_PORT=str(port), **env), tmp / f"actions-{port}.log",
    )


def rasa_server(tmp: Path, port: int, endpoints: Path, credentials: str, **env: str) -> Proc:
    """One real Rasa server with the trained model."""
    command = [
        *RASA, "run", "--interface", "127.0.0.1", "--port", str(port), "--model", str(MODEL),
        "--endpoints", str(endpoints), "--credentials", credentials,
    ]
    return Proc("rasa", command, f"http://127.0.0.1:{port}/", base_env(**env),
                tmp / f"rasa-{port}.log")


def gateway(tmp: Path, port: int, rasa_urls: list[str], action_url: str, **env: str) -> Proc:
    """The real web gateway (python -m bot.web)."""
    own = {"GATEWAY_SECRET": TEST_SECRET, **GENEROUS_RATES, **env}
    settings = gateway_settings(tmp, port, ",".join(rasa_urls), action_url, **own)
    return Proc("gateway", [PY, "-m", "bot.web"], f"http://127.0.0.1:{port}/health",
                base_env(**settings), tmp / f"gateway-{port}.log")


class Launcher:
    """``python -m bot.operations.launcher`` as ``make run`` starts it: two Rasa processes behind
    the gateway, on free ports, with this test's own data folder (``var``) and settings."""

    def __init__(self, tmp: Path, **settings: str) -> None:
        self.tmp, self.var = tmp, tmp / "var"
        self.var.mkdir(parents=True, exist_ok=True)
        first = free_port_block(2)
        self.rasa_ports = [first, first + 1]
        self.action_port, self.gateway_port = free_port(), free_port()
        self.env = base_env(
            RASA_INSTANCES="2",
            RASA_PORT=str(first),
            ACTION_SERVER_PORT=str(self.action_port),
            GATEWAY_PORT=str(self.gateway_port),
            GATEWAY_SECRET=TEST_SECRET,
            VAR_DIR=str(self.var),
            **gateway_files(self.var),
            **GENEROUS_RATES,
            **settings,
        )
        self.log = tmp / "launcher.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        return tuple(f"http://127.0.0.1:{port}" for port in self.rasa_ports)

    def answers(self) -> bool:
        """True once the gateway and both Rasa processes answer."""
        up = [http_status(f"{u}/", timeout=2) == 200 for u in self.rasa_urls]
        return all(up) and http_status(f"{self.url}/health", timeout=3) == 200

    def start(self, timeout: float = 240) -> bool:
        """Start it; True once the gateway and both Rasa processes answer, False if it exits."""
        self.process = processes.start(
            [PY, "-m", "bot.operations.launcher"], self.env, ROOT, self.log, own_group=True
        )
        return processes.wait_until(self.answers, self.process, timeout, 0.5) == processes.READY

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pid_of(self, port: int) -> int | None:
        """The process the launcher started that serves this port (Rasa, actions, gateway)."""
        if self.process is None:
            return None
        for pid in process_tree(self.process.pid):
            line = f" {command_line(pid)} "
            if f" --port {port} " in line:
                return pid
        return None

    def stop(self) -> None:
        if self.process is not None:
            processes.stop(self.process, STOP_TIMEOUT, and_descendants=True)

    def tail(self, chars: int = 4000) -> str:
        return processes.log_tail(self.log, chars)
