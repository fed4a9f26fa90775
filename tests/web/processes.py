"""Starting real processes for tests: bounded waits, logs to files, always stopped."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    """Poll url until it answers 200; fail with the log if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up:\n{log.read_text(errors='replace')[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    """Terminate one process we started, then kill it if it does not stop."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextlib.contextmanager
def running(
    args: list[str], env: dict[str, str], health_url: str, log: Path, timeout: float = 60
) -> Iterator[subprocess.Popen]:
    """Run a command from the repo root until the block ends."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **env}
    with log.open("w") as out:
        proc = subprocess.Popen(args, cwd=REPO, env=full_env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for(health_url, proc, log, timeout)
            yield proc
        finally:
            stop(proc)


def python_module(module: str) -> list[str]:
    """``python -m module`` with this interpreter."""
    return [sys.executable, "-m", module]
