"""A person using a running gateway's chat API over HTTP (urllib, no client library)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


def post_json(url: str, body: Any, timeout: float = 30) -> tuple[int, Any]:
    """POST JSON; (status, decoded JSON body or None). Status 0 if nothing answered."""
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (loopback)
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw or b"null")
        except ValueError:
            return err.code, None
    except OSError:
        return 0, None


class Chat:
    """A person using the gateway's chat API."""

    def __init__(self, base: str) -> None:
        self.base = base
        status, body = post_json(f"{base}/api/session", {})
        assert status == 201, (status, body)
        self.sender: str = body["sender"]

    def say(
        self, message: str, timeout: float = 30, message_id: str | None = None
    ) -> tuple[int, Any]:
        """Send one message, with the client's own id for it if given; (status, reply)."""
        body = {"sender": self.sender, "message": message}
        if message_id:
            body["message_id"] = message_id
        return post_json(f"{self.base}/api/chat", body, timeout)


def texts(reply: Any) -> str:
    """All text of a reply (a list of bot messages), joined."""
    if not isinstance(reply, list):
        return ""
    return "\n".join(str(m.get("text") or "") for m in reply if isinstance(m, dict))
