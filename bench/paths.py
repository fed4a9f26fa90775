"""Where the benchmark keeps its inputs, cache and results."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
MESSAGES_FILE = BENCH_DIR / "messages.yml"
CACHE_DIR = BENCH_DIR / ".cache"
STOCK_DIR = CACHE_DIR / "stock"
RESULTS_DIR = BENCH_DIR / "results"


def venv_bin(name: str) -> str:
    """An executable installed beside the running Python (the project's venv)."""
    return str(Path(sys.executable).with_name(name))
