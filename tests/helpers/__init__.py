"""What several test files share: fakes, real-process harnesses, browsers and builders.

Tests import these the normal way (``from tests.helpers.fake_upstream import FakeUpstream``);
no test imports another test file, and nothing edits ``sys.path``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def facts_dir() -> Path:
    """Where the shared facts live (beside the repository, or FACTS_DIR)."""
    return Path(os.environ.get("FACTS_DIR", ROOT.parent / "shared"))
