"""Real rasa_sdk trackers for the actions' tests, and what a sent message says once rendered."""

from __future__ import annotations

from typing import Any

import yaml
from rasa_sdk import Tracker

from tests.helpers import ROOT


def make_tracker(
    text: str = "",
    intent: str | None = None,
    confidence: float = 0.95,
    slots: dict[str, Any] | None = None,
    choice: str | None = None,
    active_loop: str | None = None,
    latest_action: str | None = None,
    events: list[dict[str, Any]] | None = None,
    ran: list[str] | None = None,
) -> Tracker:
    """A real rasa_sdk Tracker for the latest user message and slot values."""
    entities = [{"entity": "choice", "value": choice}] if choice else []
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": entities,
    }
    user_event = {"event": "user", "text": text, "parse_data": latest}
    # What Rasa has run since the user's message: a form's validation sees
    # action_extract_slots and then the form itself.
    if latest_action is None:
        latest_action = active_loop or "action_listen"
    if ran is None:
        ran = ["action_extract_slots", latest_action] if active_loop else [latest_action]
    latest_action = ran[-1] if ran else "action_listen"
    after_user = [{"event": "action", "name": n} for n in ran if n != "action_listen"]
    return Tracker.from_dict(
        {
            "sender_id": "test-user",
            "slots": dict(slots or {}),
            "latest_message": latest,
            "events": [*(events or []), user_event, *after_user],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": latest_action,
        }
    )


DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())  # as the action server gets it


def rendered(message: dict[str, Any]) -> str:
    """What a sent message says: its text, or its domain response filled in (the variant
    without conditions), as Rasa would send it."""
    if message.get("text"):
        return str(message["text"])
    name = message.get("response")
    if not name:
        custom = message.get("custom") or {}
        return str(custom.get("text") or "") if isinstance(custom, dict) else ""
    variants = DOMAIN["responses"][name]
    plain = next((v for v in variants if not v.get("condition")), variants[0])
    values = {k: v for k, v in message.items() if k not in ("response", "buttons")}
    return str(plain.get("text", "")).format(**values)
