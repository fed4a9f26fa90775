"""User-facing words of the gateway and widget, kept in one file: templates/texts.json."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

TEXTS_FILE = Path(__file__).resolve().parent / "templates" / "texts.json"


SERVICE_TEXTS_FILE = TEXTS_FILE.with_name("texts_service.json")  # guide, feedback, help link


@functools.lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    """All widget and gateway strings (read once)."""
    words = json.loads(TEXTS_FILE.read_text(encoding="utf-8"))
    if SERVICE_TEXTS_FILE.exists():
        words.update(json.loads(SERVICE_TEXTS_FILE.read_text(encoding="utf-8")))
    return words


def text(key: str, **values: Any) -> str:
    """One string, with ``{name}`` placeholders filled in."""
    return str(texts()[key]).format(**values)
