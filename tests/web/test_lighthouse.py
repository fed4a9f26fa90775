"""Lighthouse's accessibility score on / and /guide: 1.00, run from npm (tests/web/package.json
pins it) against Debian's Chromium and the real gateway. Each run takes about 20 s.
The reports go to tests/artifacts/lighthouse-*.json (not committed)."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest

from tests.helpers.browser import ARTIFACTS, CHROMIUM, WEB_TESTS, missing

LIGHTHOUSE = WEB_TESTS / "node_modules" / ".bin" / "lighthouse"


@pytest.fixture(scope="module")
def lighthouse() -> str:
    if not LIGHTHOUSE.exists():
        missing(f"lighthouse not found at {LIGHTHOUSE} (npm ci --prefix tests/web)")
    if not os.path.exists(CHROMIUM):
        missing(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    return str(LIGHTHOUSE)


@pytest.mark.parametrize("path", ["/", "/guide"])
def test_lighthouse_accessibility_is_full_marks(lighthouse: str, gateway: str, path: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = "index" if path == "/" else path.strip("/").replace("/", "-")
    report = ARTIFACTS / f"lighthouse-{name}.json"
    run = subprocess.run(
        [
            lighthouse,
            gateway + path,
            "--only-categories=accessibility",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    failed = [
        key for key, audit in result["audits"].items() if audit.get("score") not in (1, None)
    ]
    assert result["categories"]["accessibility"]["score"] == 1, failed
    assert result["finalDisplayedUrl"].endswith(path)
