"""Where the repository is (the folder with config.yml, data/ and var/)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
