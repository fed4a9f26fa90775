"""The stock bot: a ``rasa init --no-prompt`` project, trained once and cached."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.paths import STOCK_DIR, venv_bin

META_FILE = "bench-meta.json"
TRAIN_TIMEOUT_SECONDS = 1800


@dataclass(frozen=True)
class StockBot:
    """A trained stock project on disk and what it cost to build."""

    directory: Path
    train_seconds: float
    rasa_version: str
    cached: bool


def rasa_version() -> str:
    """The version of Rasa installed in this venv (without importing Rasa)."""
    from importlib.metadata import version

    return version("rasa")


def read_meta(directory: Path) -> dict | None:
    """The cache record, if the project there was trained completely."""
    meta = directory / META_FILE
    if not meta.is_file() or not any((directory / "models").glob("*.tar.gz")):
        return None
    try:
        return json.loads(meta.read_text())
    except ValueError:
        return None


def ensure_stock_bot(directory: Path = STOCK_DIR, log=print) -> StockBot:
    """Reuse the cached stock bot, or run ``rasa init --no-prompt`` (which trains) and time it."""
    version = rasa_version()
    meta = read_meta(directory)
    if meta and meta.get("rasa_version") == version:
        return StockBot(directory, float(meta["train_seconds"]), version, cached=True)
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    log(f"Building the stock bot in {directory} (rasa init --no-prompt, trains once)...")
    began = time.monotonic()
    subprocess.run(
        [venv_bin("rasa"), "init", "--no-prompt", "--init-dir", str(directory), "--quiet"],
        cwd=directory.parent,
        check=True,
        timeout=TRAIN_TIMEOUT_SECONDS,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - began
    if not any((directory / "models").glob("*.tar.gz")):
        raise RuntimeError("rasa init finished without a trained model")
    (directory / META_FILE).write_text(
        json.dumps({"train_seconds": round(seconds, 1), "rasa_version": version}, indent=1)
    )
    return StockBot(directory, seconds, version, cached=False)


def stock_command(port: int) -> list[str]:
    """``rasa run`` for the stock bot on loopback (REST channel from its credentials.yml)."""
    return [
        venv_bin("rasa"), "run", "--interface", "127.0.0.1", "--port", str(port),
        "--model", "models", "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
    ]
