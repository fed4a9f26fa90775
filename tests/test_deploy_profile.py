"""The profile the launcher starts, chosen by environment variables (no servers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.operations.deploy_profile import PRODUCTION_DEFAULTS, ProfileError, resolve
from bot.operations.launcher import services

ROOT = Path(__file__).resolve().parents[1]


def test_default_profile_is_one_instance_on_sqlite() -> None:
    profile = resolve({}, ROOT)
    assert profile.endpoints == "endpoints.yml"
    assert profile.rasa_ports == (5005,)
    assert profile.env["RASA_URLS"] == "http://127.0.0.1:5005"
    assert "TRACKER_DB_HOST" not in profile.env


def test_production_profile_fills_defaults_and_lists_instances() -> None:
    env = {"ENDPOINTS_FILE": "deploy/endpoints.production.yml", "RASA_INSTANCES": "3",
           "RASA_PORT": "6000", "TRACKER_DB_NAME": "mine"}
    profile = resolve(env, ROOT)
    assert profile.rasa_ports == (6000, 6001, 6002)
    assert profile.env["RASA_URLS"].split(",") == list(profile.rasa_urls)
    assert "TRACKER_DB_NAME" not in profile.env  # what is set is left alone
    assert profile.env["TRACKER_DB_HOST"] == PRODUCTION_DEFAULTS["TRACKER_DB_HOST"]
    assert profile.env["TICKET_LOCK_LIFETIME"] == "10"
    names = [s.name for s in services(profile)]
    assert names[:5] == ["schema", "actions", "rasa-1", "rasa-2", "rasa-3"]
    assert all("deploy/endpoints.production.yml" in s.command for s in services(profile)[2:5])


@pytest.mark.parametrize(
    "env",
    [{"RASA_INSTANCES": "0"}, {"RASA_INSTANCES": "two"}, {"ENDPOINTS_FILE": "nope.yml"},
     {"RASA_PORT": "65535", "RASA_INSTANCES": "2"}],
)
def test_impossible_profiles_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(ProfileError):
        resolve(env, ROOT)


def test_production_file_names_only_variables_the_profile_knows() -> None:
    import re

    lines = (ROOT / "deploy" / "endpoints.production.yml").read_text().splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    names = set(re.findall(r"\$\{([A-Z_]+)\}", text))
    assert names <= set(PRODUCTION_DEFAULTS) | {"ACTION_SERVER_URL"}
