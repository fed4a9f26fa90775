"""One HTTP request to a running gateway from a chosen loopback address (each test its own, so
rate limits per address do not mix)."""

from __future__ import annotations

import http.client
import json
from typing import Any

JSON = {"content-type": "application/json"}


def request(port: int, source: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """One HTTP request from a given source address; returns (status, parsed JSON or text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers=JSON if data is not None else {})
        resp = conn.getresponse()
        raw = resp.read()
        try:
            return resp.status, json.loads(raw)
        except ValueError:
            return resp.status, raw.decode(errors="replace")
    finally:
        conn.close()
