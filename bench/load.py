"""The load driver: simulated users running scripted conversations, bounded in time."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field

import aiohttp

from bench.clients import Target, client
from bench.scripts import Conversation

ERROR_PAUSE_SECONDS = 0.05


@dataclass
class PhaseResult:
    """What happened while ``users`` users talked for about ``duration`` seconds."""

    users: int
    duration: float
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    conversations: int = 0
    elapsed: float = 0.0

    @property
    def error_count(self) -> int:
        """All failed turns and failed session starts."""
        return sum(self.errors.values())

    @property
    def throughput(self) -> float:
        """Answered messages per second over the phase."""
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


async def user_loop(
    target: Target,
    http: aiohttp.ClientSession,
    scripts: list[Conversation],
    user: int,
    users: int,
    deadline: float,
    result: PhaseResult,
) -> None:
    """One user: fresh sender, an 8-turn script, again, until the deadline."""
    number = user
    while time.monotonic() < deadline:
        script = scripts[number % len(scripts)]
        number += users
        try:
            sender = await target.new_sender(http)
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError, KeyError, ValueError) as err:
            result.errors[f"session_{type(err).__name__}"] += 1
            await asyncio.sleep(ERROR_PAUSE_SECONDS)
            continue
        result.conversations += 1
        for text in script.turns:
            if time.monotonic() >= deadline:
                return
            reply = await target.send(http, sender, text)
            if reply.ok:
                result.latencies.append(reply.seconds)
            else:
                result.errors[reply.error] += 1
                await asyncio.sleep(ERROR_PAUSE_SECONDS)


async def run_phase(
    target: Target, scripts: list[Conversation], users: int, duration: float, timeout: float
) -> PhaseResult:
    """Run ``users`` concurrent users for ``duration`` seconds (turns started before it ends)."""
    result = PhaseResult(users, duration)
    async with client(users, timeout) as http:
        began = time.monotonic()
        deadline = began + duration
        await asyncio.gather(
            *(user_loop(target, http, scripts, u, users, deadline, result) for u in range(users))
        )
        result.elapsed = time.monotonic() - began
    return result


async def long_conversation(
    target: Target, messages: list[str], repeats: int, timeout: float
) -> list[list[float | None]]:
    """Seconds per turn index over ``repeats`` long conversations, one user (None = failed)."""
    runs: list[list[float | None]] = []
    async with client(1, timeout) as http:
        for _ in range(repeats):
            sender = await target.new_sender(http)
            run: list[float | None] = []
            for text in messages:
                reply = await target.send(http, sender, text)
                run.append(reply.seconds if reply.ok else None)
            runs.append(run)
    return runs


async def wait_first_answer(
    target: Target, process: subprocess.Popen, began: float, timeout: float
) -> float | None:
    """Seconds from ``began`` (monotonic) to the first answered message; None if never."""
    deadline = began + timeout
    async with client(1, 5.0) as http:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                sender = await target.new_sender(http)
                if (await target.send(http, sender, "hello")).ok:
                    return time.monotonic() - began
            except (aiohttp.ClientError, OSError, asyncio.TimeoutError, KeyError, ValueError):
                pass
            await asyncio.sleep(0.25)
    return None
