"""The frozen held-out messages (tests/nlu/heldout/, never edited): ordinary messages, written
without personal details, each with its intent."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.helpers import ROOT

HELDOUT = sorted((ROOT / "tests" / "nlu" / "heldout").glob("*.yml"))


def ordinary_messages(paths: list[Path] = HELDOUT) -> list[tuple[str, str]]:
    """(text, intent) of every message in the frozen held-out files."""
    out = []
    for path in paths:
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    out.append((line.strip()[2:].strip(), block["intent"]))
    return out
