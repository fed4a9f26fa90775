"""What the integration tests look for in the real assistant's replies, and the endpoints file
they start Rasa with."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.web.contacts import human_route_contacts
from tests.helpers import ROOT
from tests.helpers.chat_api import texts

CREDENTIALS = "credentials.yml"
AGE_QUESTION = "How old is your child"
SETTING_QUESTION = "nursery, pre-school, childminder"
WORRIES_QUESTION = "main worries"


def route_markers() -> list[str]:
    """Phone numbers and e-mail addresses of the human route, from the content file."""
    found = []
    for contact in human_route_contacts():
        found += [contact[k] for k in ("phone", "email") if contact.get(k)]
    assert found, "the content file has no phone or e-mail on the human route"
    return found


def assert_human_route(status: int, reply: object) -> None:
    """A 503 whose text gives the phone/e-mail route."""
    assert status == 503, (status, reply)
    text = texts(reply)
    assert "not available" in text
    assert any(marker in text for marker in route_markers()), text


def sqlite_endpoints(tmp: Path, action_port: int) -> Path:
    """endpoints.yml as shipped, with this test's action server port and tracker file."""
    data = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    data["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
    data["tracker_store"]["db"] = str(tmp / "tracker.db")
    path = tmp / "endpoints.yml"
    path.write_text(yaml.safe_dump(data))
    return path
