"""Starting and stopping the real processes (action server, Rasa, gateway) for fault tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bench.procs import command_line, free_port_block, process_tree
from bench.procs import start as start_process
from bench.procs import stop as stop_process

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
RASA = [PY, "-m", "bot.rasa_plugins.run"]  # Rasa with the overrides of bot/internals.py
MODEL = ROOT / "models" / "assistant.tar.gz"
START_TIMEOUT = 120.0


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(**extra: str) -> dict[str, str]:
    """The environment every process gets."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }
    env.update(extra)
    return env


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
        out = self.log.open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Poll the health URL until 200; fail with the log's tail if it dies or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.tail()}")
            if http_status(self.health, timeout=2) == 200:
                return
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready after {timeout} s:\n{self.tail()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        """Stop its process group (SIGKILL if it does not stop in time)."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        self.stop(signal.SIGKILL)

    def tail(self, chars: int = 3000) -> str:
        """The end of its log."""
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def http_status(url: str, timeout: float = 2) -> int:
    """GET url; its status, or 0 if nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (loopback)
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return 0


def post_json(url: str, body: Any, timeout: float = 30) -> tuple[int, Any]:
    """POST JSON; (status, decoded JSON body or None). Status 0 if nothing answered."""
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (loopback)
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw or b"null")
        except ValueError:
            return err.code, None
    except OSError:
        return 0, None


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
    settings = {
        "GATEWAY_PORT": str(port),
        "RASA_URLS": ",".join(rasa_urls),
        "ACTION_SERVER_URL": action_url,
        "GATEWAY_SECRET": "integration-test-secret-0123456789",
        "REFERRAL_STORE": str(tmp / "referrals.db"),
        "OUTBOX_DIR": str(tmp / "outbox"),
        "FEEDBACK_STORE": str(tmp / "insight.db"),
        "RATE_SENDER_PER_MIN": "6000",
        "RATE_SENDER_BURST": "1000",
        "RATE_IP_PER_MIN": "60000",
        "RATE_IP_BURST": "10000",
        **env,
    }
    return Proc("gateway", [PY, "-m", "bot.web"], f"http://127.0.0.1:{port}/health",
                base_env(**settings), tmp / f"gateway-{port}.log")


class Chat:
    """A person using the gateway's chat API."""

    def __init__(self, base: str) -> None:
        self.base = base
        status, body = post_json(f"{base}/api/session", {})
        assert status == 201, (status, body)
        self.sender: str = body["sender"]

    def say(
        self, message: str, timeout: float = 30, message_id: str | None = None
    ) -> tuple[int, Any]:
        """Send one message, with the client's own id for it if given; (status, reply)."""
        body = {"sender": self.sender, "message": message}
        if message_id:
            body["message_id"] = message_id
        return post_json(f"{self.base}/api/chat", body, timeout)


def texts(reply: Any) -> str:
    """All text of a reply (a list of bot messages), joined."""
    if not isinstance(reply, list):
        return ""
    return "\n".join(str(m.get("text") or "") for m in reply if isinstance(m, dict))


def required() -> bool:
    """REQUIRE_SERVICES=1 (CI): a missing service or model fails instead of skipping."""
    return os.environ.get("REQUIRE_SERVICES", "").strip() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    """Skip with the reason, or fail when services are required."""
    if required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    """True if something accepts TCP connections there."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


class Launcher:
    """``python -m bot.operations.launcher`` as ``make run`` starts it: two Rasa processes behind
    the
    gateway, on free ports, with this test's own data folder (``var``) and settings."""

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
            GATEWAY_SECRET="integration-test-secret-0123456789",
            VAR_DIR=str(self.var),
            REFERRAL_STORE=str(self.var / "referrals.db"),
            OUTBOX_DIR=str(self.var / "outbox"),
            FEEDBACK_STORE=str(self.var / "insight.db"),
            RATE_SENDER_PER_MIN="6000",
            RATE_SENDER_BURST="1000",
            RATE_IP_PER_MIN="60000",
            RATE_IP_BURST="10000",
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

    def start(self, timeout: float = 240) -> bool:
        """Start it; True once the gateway and both Rasa processes answer, False if it exits."""
        self.process = start_process(
            [PY, "-m", "bot.operations.launcher"], ROOT, self.env, self.log
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            up = [http_status(f"{u}/", timeout=2) == 200 for u in self.rasa_urls]
            if all(up) and http_status(f"{self.url}/health", timeout=3) == 200:
                return True
            time.sleep(0.5)
        return False

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
            stop_process(self.process)

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""
