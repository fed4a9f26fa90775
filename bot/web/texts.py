"""User-facing words of the gateway and widget, kept in one file: templates/texts.json."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

TEXTS_FILE = Path(__file__).resolve().parent / "templates" / "texts.json"


@functools.lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    """All widget and gateway strings (read once)."""
    return json.loads(TEXTS_FILE.read_text(encoding="utf-8"))


def text(key: str, **values: Any) -> str:
    """One string, with ``{name}`` placeholders filled in."""
    return str(texts()[key]).format(**values)
