"""Reading the memory and CPU time of the processes under test from /proc.

Starting, waiting for and stopping them is :mod:`bot.operations.processes`.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.operations.processes import process_tree


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
