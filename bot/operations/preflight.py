"""Checks made before anything starts, so the assistant never runs half-configured.

``python -m bot.operations.launcher`` runs them before it spawns a process: the council's content
file
must load and validate, and the data folder (``VAR_DIR``, default ``var/``) must be writable
with at least ``MIN_FREE_MB`` (default 100) megabytes free. Each problem is one clear sentence.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from bot import settings
from bot.paths import REPO

ROOT = REPO
DEFAULT_MIN_FREE_MB = settings.MIN_FREE_MB.default_value


def var_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder for the tracker store, referral drafts and outbox."""
    return settings.VAR_DIR.read(env)


def min_free_mb(env: Mapping[str, str] | None = None) -> int:
    """The free space the data folder needs, in megabytes."""
    return max(0, settings.MIN_FREE_MB.read_or_default(env))


def check_content() -> list[str]:
    """Problems with the council's content file (empty when it loads and validates)."""
    from bot.guidance.content import ContentError, load_content

    load_content.cache_clear()
    try:
        load_content()
    except ContentError as err:
        return [f"The council content file is broken: {err}"]
    return []


def check_disk(folder: Path, need_mb: int) -> list[str]:
    """Problems with the data folder: cannot be created or written, or too little space."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-") as probe:
            probe.write(b"x" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as err:
        return [f"The data folder {folder} cannot be written ({err.strerror or err})."]
    free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
    if free_mb < need_mb:
        return [
            f"The disk holding {folder} has only {free_mb} MB free; at least {need_mb} MB "
            "is needed (set MIN_FREE_MB to change this). Free some space and start again."
        ]
    return []


def problems(env: Mapping[str, str] | None = None) -> list[str]:
    """Everything that stops a clean start, in the order to fix it."""
    return [*check_content(), *check_disk(var_dir(env), min_free_mb(env))]
