"""Start-up refusal: a broken content file or an unusable data folder stops everything early."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.guidance.content import CONTENT_DIR, content_path, load_content
from bot.operations import preflight
from bot.operations.processes import free_port

ROOT = Path(__file__).resolve().parents[1]
GOOD = CONTENT_DIR / "hertfordshire.yml"


def broken_copy(tmp_path: Path, how: str) -> Path:
    """A content folder holding a broken hertfordshire.yml."""
    folder = tmp_path / f"content-{how}"
    folder.mkdir()
    target = folder / "hertfordshire.yml"
    if how == "yaml":
        target.write_text(GOOD.read_text(encoding="utf-8") + "\n  : [unclosed\n")
    elif how == "schema":
        data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
        data.pop("contacts")
        target.write_text(yaml.safe_dump(data))
    return folder  # how == "missing": no file at all


def run(module: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``python -m module`` with loopback ports nobody uses, bounded in time."""
    ports = {
        "RASA_PORT": str(free_port()),
        "ACTION_SERVER_PORT": str(free_port()),
        "GATEWAY_PORT": str(free_port()),
    }
    full = {**os.environ, "PYTHONPATH": str(ROOT), **ports, **env}
    return subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(autouse=True)
def _fresh_content_cache():
    load_content.cache_clear()
    yield
    load_content.cache_clear()


def test_content_dir_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path))
    assert content_path("hertfordshire") == tmp_path / "hertfordshire.yml"
    monkeypatch.delenv("CONTENT_DIR")
    assert content_path("hertfordshire") == GOOD


@pytest.mark.parametrize("how", ["yaml", "schema", "missing"])
def test_preflight_names_the_broken_content(
    how: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(broken_copy(tmp_path, how)))
    problems = preflight.check_content()
    assert len(problems) == 1
    assert "content file" in problems[0]
    expected = {"yaml": "not valid YAML", "schema": "contacts", "missing": "not found"}[how]
    assert expected in problems[0]


def test_preflight_passes_with_good_content_and_space(tmp_path: Path) -> None:
    assert preflight.problems({"VAR_DIR": str(tmp_path / "var"), "MIN_FREE_MB": "1"}) == []
    assert (tmp_path / "var").is_dir()


def test_preflight_refuses_a_full_disk(tmp_path: Path) -> None:
    """A disk with less free space than MIN_FREE_MB is refused, with the numbers."""
    problems = preflight.check_disk(tmp_path, need_mb=10**12)
    assert len(problems) == 1 and "MB free" in problems[0] and "MIN_FREE_MB" in problems[0]


def test_preflight_refuses_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    problems = preflight.check_disk(blocker / "var", need_mb=1)
    assert len(problems) == 1 and "cannot be written" in problems[0]


@pytest.mark.parametrize("how", ["yaml", "schema", "missing"])
def test_action_server_refuses_broken_content(how: str, tmp_path: Path) -> None:
    result = run("bot.operations.action_server", {"CONTENT_DIR": str(broken_copy(tmp_path, how))})
    assert result.returncode == 2
    assert "Not starting the action server" in result.stderr
    assert "Action endpoint is up" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"content": "schema"}, "content file"),
        ({"MIN_FREE_MB": str(10**12)}, "MB free"),
        ({"VAR_DIR": "/dev/null/var"}, "cannot be written"),
    ],
)
def test_launcher_refuses_before_starting_anything(
    env: dict[str, str], says: str, tmp_path: Path
) -> None:
    how = env.pop("content", None)
    if how:
        env["CONTENT_DIR"] = str(broken_copy(tmp_path, how))
    else:
        env["VAR_DIR"] = env.get("VAR_DIR", str(tmp_path / "var"))
    result = run("bot.operations.launcher", env, timeout=30)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Not starting the assistant" in result.stderr and says in result.stderr
    assert "is ready" not in result.stdout  # nothing was started


def test_gateway_refuses_a_data_folder_it_cannot_write(tmp_path: Path) -> None:
    result = run("bot.web", {"REFERRAL_STORE": "/dev/null/referrals.db"}, timeout=30)
    assert result.returncode == 2
    assert "Not starting the gateway" in result.stderr
