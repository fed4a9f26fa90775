"""Keep the assistant's processes running: start them in order, restart one that stops.

Used by ``python -m bot.operations.launcher`` (``make run``). Services start stage by stage (each
stage once the one before answers its health check; a one-shot service, such as creating
the database schema, must finish with exit code 0). Then every process is watched: one
that stops is started again after a pause that doubles with each crash in a row (1 s,
2 s, 4 s ... at most 30 s; back to 1 s once it has run for a minute), while the others
carry on (the gateway sends a stopped Rasa instance's conversations to the next one). A
process that stops :attr:`RestartPolicy.burst` times within :attr:`RestartPolicy.interval`
seconds keeps crashing: the supervisor then stops everything with a message naming it.

The systemd units in ``deploy/systemd/`` (:mod:`bot.operations.units`) use the same numbers.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.operations.processes import (
    EXITED,
    READY,
    STOP_TIMEOUT_SECONDS,
    describe_exit,
    http_ready,
    start,
    stop,
    stop_all,
    wait_until,
)

__all__ = ["KeepsCrashing", "RestartPolicy", "Service", "Supervisor", "Watched",
           "describe_exit", "http_ready"]

START_TIMEOUT_SECONDS = 180.0
TICK_SECONDS = 0.5


@dataclass(frozen=True)
class Service:
    """One process to run, and the URL that says it is ready (none for a one-shot)."""

    name: str
    command: list[str]
    health_url: str = ""
    env: dict[str, str] = field(default_factory=dict)
    stage: int = 0  # services of one stage start together; stages start in order
    oneshot: bool = False  # runs to completion before the next stage (exit code 0)
    description: str = ""


@dataclass(frozen=True)
class RestartPolicy:
    """When to start a stopped process again, and when to give up on it."""

    first_delay: float = 1.0
    max_delay: float = 30.0
    burst: int = 5  # this many stops ...
    interval: float = 300.0  # ... within this many seconds: it keeps crashing
    healthy_after: float = 60.0  # up this long: the next pause is first_delay again

    def delay(self, in_a_row: int) -> float:
        """The pause before restart number ``in_a_row`` (1 for the first)."""
        return min(self.max_delay, self.first_delay * 2 ** max(0, in_a_row - 1))


@dataclass
class Watched:
    """A service and its current process."""

    service: Service
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    ready: bool = False
    in_a_row: int = 0
    restart_at: float | None = None
    stops: deque = field(default_factory=deque)


class KeepsCrashing(RuntimeError):
    """A service stopped too often: the assistant cannot run."""


class Supervisor:
    """Starts, watches, restarts and stops a set of services."""

    def __init__(
        self,
        services: list[Service],
        env: Mapping[str, str],
        cwd: Path,
        policy: RestartPolicy | None = None,
        out: TextIO | None = None,
        is_ready: Callable[[str], bool] = http_ready,
        clock: Callable[[], float] = time.monotonic,
        start_timeout: float = START_TIMEOUT_SECONDS,
    ) -> None:
        self.watched = [Watched(s) for s in services]
        self.env = dict(env)
        self.cwd = cwd
        self.policy = policy or RestartPolicy()
        self.out = out or sys.stderr
        self.is_ready = is_ready
        self.clock = clock
        self.start_timeout = start_timeout
        self.stopping = False

    def say(self, message: str) -> None:
        """One line for the person running it."""
        print(message, file=self.out, flush=True)

    def _spawn(self, item: Watched) -> None:
        item.process = start(item.service.command, {**self.env, **item.service.env}, self.cwd)
        item.started_at = self.clock()
        item.ready = False
        item.restart_at = None

    def start(self) -> bool:
        """Start every stage in order; False (with a message) if a service does not come up."""
        for stage in sorted({w.service.stage for w in self.watched}):
            group = [w for w in self.watched if w.service.stage == stage]
            for item in group:
                self._spawn(item)
            for item in group:
                if not self._wait_until_ready(item):
                    process = item.process
                    how = describe_exit(process.poll()) if process else "not started"
                    self.say(f"\n{item.service.name} did not start ({how}); "
                             "see the messages above.")
                    return False
                if not item.service.oneshot:
                    self.say(f"{item.service.name} is ready ({item.service.health_url})")
        return True

    def _wait_until_ready(self, item: Watched) -> bool:
        process = item.process
        assert process is not None
        if item.service.oneshot:  # ready once it has finished, with exit code 0
            outcome = wait_until(lambda: False, process, self.start_timeout, TICK_SECONDS,
                                 self.clock)
            return outcome == EXITED and process.returncode == 0
        outcome = wait_until(lambda: self.is_ready(item.service.health_url), process,
                             self.start_timeout, TICK_SECONDS, self.clock)
        item.ready = outcome == READY
        return item.ready

    def run(self) -> int:
        """Watch until stopped; 1 (after saying which) when a service keeps crashing."""
        try:
            while not self.stopping:
                self.tick()
                time.sleep(TICK_SECONDS)
        except KeepsCrashing as err:
            self.say(str(err))
            return 1
        return 0

    def tick(self) -> None:
        """One round: notice stops, restart what is due, note what has come back."""
        now = self.clock()
        for item in self.watched:
            if item.service.oneshot or item.process is None:
                continue
            code = item.process.poll()
            if code is not None and item.restart_at is None:
                self._stopped(item, code, now)
            elif item.restart_at is not None and now >= item.restart_at:
                self._spawn(item)
                self.say(f"{item.service.name}: started again (pid {item.process.pid})")
            elif code is None and not item.ready:
                self._check_back(item, now)
            elif code is None and now - item.started_at >= self.policy.healthy_after:
                item.in_a_row = 0  # it has run long enough: the next pause is short again

    def _stopped(self, item: Watched, code: int, now: float) -> None:
        name = item.service.name
        item.stops.append(now)
        while item.stops and item.stops[0] < now - self.policy.interval:
            item.stops.popleft()
        if len(item.stops) >= self.policy.burst:
            raise KeepsCrashing(
                f"{name} keeps crashing ({len(item.stops)} times in "
                f"{self.policy.interval:g} s, last: {describe_exit(code)}); stopping the "
                f"assistant. {name}'s messages above say why."
            )
        item.in_a_row += 1
        pause = self.policy.delay(item.in_a_row)
        item.restart_at = now + pause
        item.ready = False
        self.say(f"{name} stopped ({describe_exit(code)}); starting it again in {pause:g} s. "
                 "The others carry on.")

    def _check_back(self, item: Watched, now: float) -> None:
        if self.is_ready(item.service.health_url):
            item.ready = True
            self.say(f"{item.service.name} is back ({item.service.health_url})")
        elif now - item.started_at > self.start_timeout:
            self.say(f"{item.service.name} did not answer within {self.start_timeout:g} s")
            self._terminate(item)

    def _terminate(self, item: Watched) -> None:
        if item.process is not None:
            stop(item.process, STOP_TIMEOUT_SECONDS)

    def stop(self) -> None:
        """Stop every process, the last started first."""
        self.stopping = True
        stop_all([w.process for w in reversed(self.watched) if w.process is not None],
                 STOP_TIMEOUT_SECONDS)

    def pids(self) -> dict[str, int]:
        """Name -> pid of each running process (for tests and messages)."""
        return {
            w.service.name: w.process.pid
            for w in self.watched
            if w.process is not None and w.process.poll() is None
        }

