"""The project as ``make run`` starts it (``python -m bot.operations.launcher``), on free ports.

The launcher reads its profile from the environment (``bot/operations/deploy_profile.py``):
``ENDPOINTS_FILE``, ``RASA_INSTANCES``, ``RASA_PORT``, ``ACTION_SERVER_PORT``, ``GATEWAY_PORT``.
The benchmark keeps whatever profile the caller chose and only moves the ports, and, for the
embedded SQLite profile, points the tracker store at a temporary file, so a running
``make run`` is never touched.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bench.paths import REPO_ROOT, venv_bin
from bot import settings
from bot.operations.processes import free_port, free_port_block

TRAIN_TIMEOUT_SECONDS = 900
GENEROUS_RATE = "1000000"
DEFAULT_ENDPOINTS = settings.ENDPOINTS_FILE.default


def bench_endpoints(endpoints: dict[str, Any], action_port: int, state_dir: Path) -> dict:
    """The endpoints with the action server on our port and SQLite files in state_dir.

    Shared stores (Redis, a database server) are kept as they are: benchmark senders are
    fresh random ids, so they cannot meet anyone else's conversations.
    """
    found = copy.deepcopy(endpoints or {})
    action = found.get("action_endpoint")
    if isinstance(action, dict) and action.get("url"):
        action["url"] = f"http://127.0.0.1:{action_port}/webhook"
    for key in ("tracker_store", "lock_store"):
        store = found.get(key)
        if isinstance(store, dict) and str(store.get("dialect", "")).lower() == "sqlite":
            store["db"] = str(state_dir / f"{key}.db")
    return found


def project_env(
    state_dir: Path, base: Mapping[str, str] | None = None
) -> tuple[dict[str, str], int, str | None]:
    """Environment for the launcher; the gateway port; the endpoints copy we wrote (or None).

    An endpoints file with ``${VARS}`` (the production profile) is used as it is: the launcher
    fills in the action server URL from ``ACTION_SERVER_PORT`` and its stores are shared.
    """
    env = dict(os.environ if base is None else base)
    for stale in ("RASA_URLS", "ACTION_SERVER_URL"):  # the launcher derives them from the ports
        env.pop(stale, None)
    instances = settings.RASA_INSTANCES.read(env)
    action_port, gateway_port = free_port(), free_port()
    source = settings.ENDPOINTS_FILE.read(env)
    text = source.read_text(encoding="utf-8")
    copy_path: str | None = None
    if "${" not in text:
        target = state_dir / "endpoints.yml"
        rewritten = bench_endpoints(yaml.safe_load(text) or {}, action_port, state_dir)
        target.write_text(yaml.safe_dump(rewritten, sort_keys=False), encoding="utf-8")
        copy_path = str(target)
        env["ENDPOINTS_FILE"] = copy_path
    env.update(
        {
            "RASA_PORT": str(free_port_block(instances)),
            "ACTION_SERVER_PORT": str(action_port),
            "GATEWAY_PORT": str(gateway_port),
            "PYTHONPATH": str(REPO_ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "REFERRAL_STORE": str(state_dir / "referrals.db"),
            "OUTBOX_DIR": str(state_dir / "outbox"),
            "FEEDBACK_STORE": str(state_dir / "insight.db"),
            "LOG_LEVEL": env.get("LOG_LEVEL", "WARNING"),
        }
    )
    # Every simulated person comes from loopback: no rate limit of the gateway's (per
    # conversation, new conversations, per address) may refuse them, or the benchmark would
    # measure refusals. Taken from the settings table, so a limit added later is lifted too.
    rates = [rate.name for rate in settings.TABLE if rate.name.startswith("RATE_")]
    env.update({name: GENEROUS_RATE for name in rates})
    return env, gateway_port, copy_path


def project_command() -> list[str]:
    """Exactly what ``make run`` runs."""
    return [sys.executable, "-m", "bot.operations.launcher"]


def time_training(out_dir: Path, log=print) -> float | None:
    """Seconds for ``rasa train --force`` of the project into out_dir (models/ is untouched)."""
    log("Timing the project's training (rasa train --force into a temp folder)...")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    began = time.monotonic()
    try:
        subprocess.run(
            [venv_bin("rasa"), "train", "--force", "--quiet", "--fixed-model-name", "bench",
             "--out", str(out_dir)],
            cwd=REPO_ROOT, env=env, check=True, timeout=TRAIN_TIMEOUT_SECONDS,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
        log(f"Training failed or timed out: {err}")
        return None
    seconds = time.monotonic() - began
    log(f"  project: training took {seconds:.0f} s")
    return seconds
