"""The launcher's supervisor, with small stand-in processes (the real ones: test_supervised.py).

A process that stops is started again after a pause that grows, the others are left
alone, and one that keeps crashing stops everything with a message naming it.
"""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.operations.deploy_profile import resolve
from bot.operations.launcher import services
from bot.operations.supervisor import RestartPolicy, Service, Supervisor, describe_exit

ROOT = Path(__file__).resolve().parents[1]
FAST = RestartPolicy(first_delay=0.2, max_delay=1.0, burst=3, interval=60, healthy_after=60)


def sleeper(name: str, seconds: float = 120, then_exit: int | None = None) -> Service:
    """A process that runs for a while (then exits with a code, if given)."""
    code = f"import time, sys; time.sleep({seconds})"
    if then_exit is not None:
        code += f"; sys.exit({then_exit})"
    return Service(name, [sys.executable, "-c", code], health_url=f"http://{name}/")


def supervise(*items: Service) -> tuple[Supervisor, io.StringIO]:
    out = io.StringIO()
    supervisor = Supervisor(list(items), dict(os.environ), ROOT, FAST, out=out,
                            is_ready=lambda url: True)
    return supervisor, out


def wait_for(condition, timeout: float = 20.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_killed_process_is_started_again_and_the_others_are_left_alone() -> None:
    supervisor, out = supervise(sleeper("steady"), sleeper("victim"))
    assert supervisor.start()
    before = supervisor.pids()
    result: list[int] = []
    watcher = threading.Thread(target=lambda: result.append(supervisor.run()))
    watcher.start()
    try:
        os.kill(before["victim"], signal.SIGKILL)
        assert wait_for(lambda: supervisor.pids().get("victim") not in (None, before["victim"]))
        assert supervisor.pids()["steady"] == before["steady"]
    finally:
        supervisor.stop()
        watcher.join(10)
    assert result == [0]
    assert "victim stopped (killed by signal 9 (SIGKILL)); starting it again in 0.2 s" in (
        out.getvalue()
    )


def test_a_process_that_keeps_crashing_stops_everything_with_a_clear_message() -> None:
    supervisor, out = supervise(sleeper("steady"), sleeper("crashy", 0.3, then_exit=3))
    assert supervisor.start()
    steady = supervisor.pids()["steady"]
    began = time.monotonic()
    try:
        code = supervisor.run()
    finally:
        supervisor.stop()
    text = out.getvalue()
    assert code == 1
    assert "crashy keeps crashing (3 times in 60 s, last: exit code 3); stopping" in text
    assert "starting it again in 0.2 s" in text and "starting it again in 0.4 s" in text
    assert time.monotonic() - began < 20
    assert not Path(f"/proc/{steady}").exists() or supervisor.pids() == {}


def test_a_one_shot_step_must_succeed_before_the_next_stage() -> None:
    failing = Service("schema", [sys.executable, "-c", "import sys; sys.exit(1)"], oneshot=True)
    later = Service("rasa", [sys.executable, "-c", "import time; time.sleep(60)"], "x", stage=1)
    supervisor, out = supervise(failing, later)
    try:
        assert not supervisor.start()
    finally:
        supervisor.stop()
    assert "schema did not start (exit code 1)" in out.getvalue()
    assert supervisor.watched[1].process is None  # Rasa was never started


@pytest.mark.parametrize("code, text", [(1, "exit code 1"), (-9, "killed by signal 9 (SIGKILL)")])
def test_how_a_process_stopped_is_said_plainly(code: int, text: str) -> None:
    assert describe_exit(code) == text


def test_the_schema_is_made_once_before_any_rasa_process_starts() -> None:
    env = {"ENDPOINTS_FILE": "deploy/endpoints.production.yml", "RASA_INSTANCES": "2"}
    found = services(resolve(env, ROOT), env)
    schema = next(s for s in found if s.name == "schema")
    assert schema.oneshot and schema.command[-2:] == ["-m", "bot.operations.schema"]
    assert all(s.stage > schema.stage for s in found if s.name.startswith("rasa"))


def test_rasa_is_started_on_loopback_without_its_http_api() -> None:
    """CVE-2024-49375 needs --enable-api; the model and conversation endpoints stay off."""
    env = {"RASA_INSTANCES": "2"}
    for service in services(resolve(env, ROOT), env):
        assert "--enable-api" not in service.command and "--cors" not in service.command
        if "run" in service.command:
            assert service.command[service.command.index("--interface") + 1] == "127.0.0.1"
