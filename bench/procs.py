"""Starting and stopping the processes under test, and reading their memory from /proc."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STOP_TIMEOUT_SECONDS = 20


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_port_block(count: int, attempts: int = 50) -> int:
    """The first of ``count`` consecutive free loopback ports (for several Rasa instances)."""
    if count <= 1:
        return free_port()
    for _ in range(attempts):
        first = random.randint(20000, 60000 - count)
        if all(_port_free(first + i) for i in range(count)):
            return first
    raise OSError(f"no {count} consecutive free ports found")


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def parent_of(stat_line: str) -> int:
    """The parent pid from a /proc/<pid>/stat line (the name in brackets may hold spaces)."""
    return int(stat_line.rsplit(")", 1)[1].split()[1])


def children_map(proc: Path = Path("/proc")) -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process we can see."""
    found: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = parent_of((entry / "stat").read_text())
        except (OSError, IndexError, ValueError):
            continue
        found.setdefault(ppid, []).append(int(entry.name))
    return found


def process_tree(root: int, proc: Path = Path("/proc")) -> list[int]:
    """The root pid and all its descendants that are still alive."""
    kids = children_map(proc)
    tree: list[int] = []
    todo = [root]
    while todo and len(tree) < 1000:
        pid = todo.pop()
        if pid in tree:
            continue
        tree.append(pid)
        todo.extend(kids.get(pid, []))
    return [pid for pid in tree if (proc / str(pid)).exists()]


def rss_bytes(pid: int, proc: Path = Path("/proc")) -> int | None:
    """Resident memory of one process (VmRSS), or None if it has gone."""
    try:
        for line in (proc / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return 0


def cpu_seconds(pid: int, proc: Path = Path("/proc")) -> float | None:
    """CPU time (user + system) one process has used so far, or None if it has gone."""
    try:
        fields = (proc / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_by_role(root: int) -> dict[str, float]:
    """CPU seconds used so far by each kind of process in a tree (rasa, gateway, ...)."""
    totals: dict[str, float] = {}
    for pid in process_tree(root):
        used = cpu_seconds(pid)
        if used is not None:
            role = role_of(command_line(pid))
            totals[role] = totals.get(role, 0.0) + used
    return totals


def command_line(pid: int, proc: Path = Path("/proc")) -> str:
    """The command line of a process, spaces between arguments."""
    try:
        raw = (proc / str(pid) / "cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def role_of(cmdline: str) -> str:
    """A short name for a process of either bot, used to group memory."""
    if " run " in f"{cmdline} " and "rasa" in cmdline:
        return "rasa"
    for marker, role in (
        ("bot.operations.action_server", "actions"),
        ("rasa_sdk", "actions"),
        ("bot.web", "gateway"),
        ("bench.launch_project", "launcher"),
        ("bot.operations.launcher", "launcher"),
    ):
        if marker in cmdline:
            return role
    return Path(cmdline.split(" ", 1)[0]).name or "other"


@dataclass
class MemorySampler:
    """Samples the resident memory of a process tree in a background thread; keeps the peaks."""

    root: int
    interval: float = 0.5
    peak_total: int = 0
    peak_by_pid: dict[int, int] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)
    last_total: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> int:
        """Take one sample now; return the total."""
        total = 0
        for pid in process_tree(self.root):
            rss = rss_bytes(pid)
            if rss is None:
                continue
            total += rss
            self.peak_by_pid[pid] = max(rss, self.peak_by_pid.get(pid, 0))
            if pid not in self.roles:
                self.roles[pid] = role_of(command_line(pid))
        self.peak_total = max(self.peak_total, total)
        self.last_total = total
        return total

    def start(self) -> MemorySampler:
        """Sample until :meth:`stop`."""

        def loop() -> None:
            while not self._stop.wait(self.interval):
                self.sample()

        self._thread = threading.Thread(target=loop, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def report(self) -> dict[str, object]:
        """Peak of the sum over the tree, and each process's peak, in MB."""
        processes: list[dict[str, Any]] = [
            {"pid": pid, "role": self.roles.get(pid, "?"), "peak_rss_mb": mb(rss)}
            for pid, rss in sorted(self.peak_by_pid.items())
        ]
        rasa = [p["peak_rss_mb"] for p in processes if p["role"] == "rasa"]
        return {
            "peak_total_mb": mb(self.peak_total),
            "end_total_mb": mb(self.last_total),
            "max_rasa_process_mb": max(rasa) if rasa else None,
            "rasa_processes": len(rasa),
            "processes": processes,
        }


def mb(value: int) -> float:
    """Bytes to megabytes (10^6), one decimal."""
    return round(value / 1e6, 1)


def start(command: list[str], cwd: Path, env: dict[str, str], log_file: Path) -> subprocess.Popen:
    """Start a process in its own process group, its output going to a log file."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("wb") as out:
        return subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """Ask a process (and what it started) to stop; kill what is left after the timeout."""
    tree = process_tree(process.pid)
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    deadline = time.monotonic() + 5
    left = [pid for pid in tree if pid != process.pid and Path(f"/proc/{pid}").exists()]
    for pid in left:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = [pid for pid in left if Path(f"/proc/{pid}").exists() and not _zombie(pid)]
    for pid in left:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True
