"""Starting a process, waiting until it answers, and stopping it: one helper for everything.

The launcher's supervisor (:mod:`bot.operations.supervisor`), the bench (``bench/``) and the
tests that run the real processes all start, poll and stop processes the same way, here:

- :func:`start`: a command with its environment, its output to a log file (or inherited);
- :func:`wait_until` / :func:`wait_until_answers`: poll until it is ready, with a deadline, and
  a clear error naming the process and ending with the tail of its log;
- :func:`stop` / :func:`stop_all`: ask it to stop (SIGTERM), kill it if it does not in time,
  optionally with its whole process group or everything it started;
- :func:`running`: all three around a ``with`` block;
- :func:`free_port` / :func:`free_port_block`: loopback ports nothing listens on.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from bot.paths import REPO

STOP_TIMEOUT_SECONDS = 15.0
KILL_WAIT_SECONDS = 5.0
POLL_SECONDS = 0.3
LOG_TAIL_CHARS = 3000

READY, EXITED, TIMED_OUT = "ready", "exited", "timed out"


class NotReady(RuntimeError):
    """A process exited, or did not answer in time; the message ends with its log's tail."""


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


def http_status(url: str, timeout: float = 2) -> int:
    """GET url; its status, or 0 if nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (loopback)
            return int(resp.status)
    except urllib.error.HTTPError as err:
        return int(err.code)
    except OSError:
        return 0


def http_ready(url: str, timeout: float = 2) -> bool:
    """True if GET url answers 200 within ``timeout`` seconds."""
    return http_status(url, timeout) == 200


def describe_exit(code: int | None) -> str:
    """'exit code 1' or 'killed by signal 9 (SIGKILL)'."""
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by signal {-code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def log_tail(log: Path | None, chars: int = LOG_TAIL_CHARS) -> str:
    """The end of a log file ('' if there is none)."""
    if log is None:
        return ""
    try:
        return log.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def start(
    command: Sequence[str],
    env: Mapping[str, str],
    cwd: Path = REPO,
    log: Path | None = None,
    append: bool = False,
    own_group: bool = False,
) -> subprocess.Popen:
    """Start ``command`` with exactly ``env``; its output to ``log`` (inherited without one).

    ``own_group`` starts it in its own session, so :func:`stop` can signal the whole group.
    """
    if log is None:
        return subprocess.Popen(list(command), cwd=cwd, env=dict(env),
                                start_new_session=own_group)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab" if append else "wb") as out:
        return subprocess.Popen(
            list(command), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=own_group,
        )


def wait_until(
    ready: Callable[[], bool],
    process: subprocess.Popen | None,
    timeout: float,
    interval: float = POLL_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """Poll ``ready()`` until it is true, ``process`` exits or ``timeout`` seconds pass.

    Returns :data:`READY`, :data:`EXITED` or :data:`TIMED_OUT`.
    """
    deadline = clock() + timeout
    while clock() < deadline:
        if process is not None and process.poll() is not None:
            return EXITED
        if ready():
            return READY
        time.sleep(interval)
    return TIMED_OUT


def wait_until_answers(
    url: str,
    process: subprocess.Popen,
    timeout: float,
    name: str = "",
    log: Path | None = None,
    interval: float = POLL_SECONDS,
) -> None:
    """Wait until GET url answers 200; :class:`NotReady` (with the log's tail) otherwise."""
    outcome = wait_until(lambda: http_ready(url), process, timeout, interval)
    if outcome == READY:
        return
    who = f"{name or process.args!r} ({url})"
    if outcome == EXITED:
        why = f"{who} exited ({describe_exit(process.returncode)}) before it answered"
    else:
        why = f"{who} did not answer within {timeout:g} s"
    raise NotReady(f"{why}; the end of its log ({log}):\n{log_tail(log)}")


def _send(process: subprocess.Popen, sig: int, whole_group: bool) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if whole_group:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)


def stop_all(
    processes: Sequence[subprocess.Popen],
    timeout: float = STOP_TIMEOUT_SECONDS,
    sig: int = signal.SIGTERM,
    whole_group: bool = False,
) -> None:
    """Send ``sig`` to each running process (in the order given), then wait for each; kill
    (SIGKILL) one that has not stopped after ``timeout`` seconds.

    ``whole_group`` signals each process's group (it was started with ``own_group``).
    """
    running_now = [p for p in processes if p.poll() is None]
    for process in running_now:
        _send(process, sig, whole_group)
    for process in running_now:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _send(process, signal.SIGKILL, whole_group)
            process.wait(timeout=KILL_WAIT_SECONDS)


def stop(
    process: subprocess.Popen,
    timeout: float = STOP_TIMEOUT_SECONDS,
    sig: int = signal.SIGTERM,
    whole_group: bool = False,
    and_descendants: bool = False,
) -> None:
    """Stop one process as :func:`stop_all` does; ``and_descendants`` then also stops what it
    started and left behind (SIGTERM, SIGKILL after 5 s)."""
    tree = process_tree(process.pid) if and_descendants else []
    stop_all([process], timeout, sig, whole_group)
    left = [pid for pid in tree if pid != process.pid and _alive(pid)]
    for pid in left:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + KILL_WAIT_SECONDS
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = [pid for pid in left if _alive(pid)]
    for pid in left:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def running(
    command: Sequence[str],
    env: Mapping[str, str],
    health_url: str,
    log: Path,
    timeout: float = 60,
    name: str = "",
) -> Iterator[subprocess.Popen]:
    """``command`` (from the repository, in the caller's environment plus PYTHONPATH and
    ``env``) running and answering ``health_url`` for the length of the block; stopped after."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **env}
    process = start(command, full_env, log=log)
    try:
        wait_until_answers(health_url, process, timeout, name, log, interval=0.2)
        yield process
    finally:
        stop(process)


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


def _alive(pid: int) -> bool:
    """True while /proc lists the pid and it is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False
