"""One settings table (bot/settings.py): the docs come from it; only it reads the environment."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from bot import settings
from bot.operations.deploy_profile import PRODUCTION_DEFAULTS
from bot.web.config import GatewayConfig
from bot.web.service.settings import ServiceSettings
from tests.conftest import ROOT

CODE_DIRS = ("bot", "actions", "bench", "scripts")
# Lines outside bot/settings.py that may touch the environment directly, and why.
ALLOWED = {
    ("bot/operations/launcher.py", "env = {**os.environ, **environment(profile)}"):
        "the environment of the processes the launcher starts: the caller's, plus the profile",
    ("bot/operations/action_server.py", "os.environ.setdefault(settings.SANIC_HOST.name"):
        "hands rasa-sdk, which reads SANIC_HOST itself, the loopback default",
    ("bench/project.py", "env = dict(os.environ if base is None else base)"):
        "the launcher's environment under the benchmark starts as the caller's",
    ("bench/project.py", '"LOG_LEVEL": env.get("LOG_LEVEL", "WARNING")'):
        "the benchmarked processes log at WARNING unless the caller chose a level",
    ("bench/project.py", 'env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)'):
        "the environment of the timed `rasa train`",
    ("bench/run.py", 'env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"'):
        "the environment of the stock Rasa bot the benchmark compares against",
    ("bot/operations/processes.py", 'full_env = {**os.environ, "PYTHONPATH": str(REPO), **env}'):
        "a process started for the length of a block (bench, tests) runs in the caller's "
        "environment, with the repository importable",
}
# os.environ / getenv anywhere, and reads of a named variable from any env-like mapping.
DIRECT = re.compile(r"\bos\.environ\b|\bgetenv\b|\benviron\.get\b")
NAMED = re.compile(
    r"\benv\w*(?:\.get\(\s*[\"'][A-Z][A-Z0-9_]+[\"']|\[\s*[\"'][A-Z][A-Z0-9_]+[\"']\](?!\s*=[^=]))"
)


def code_files() -> list[Path]:
    """The project's Python files (not the tests)."""
    found = [p for d in CODE_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    return [p for p in found if p != ROOT / "bot" / "settings.py" and ".cache" not in p.parts]


def test_the_docs_are_generated_from_the_table() -> None:
    written = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert written == settings.markdown(), "run `make settings` (python -m bot.settings)"


def test_only_the_settings_module_reads_the_environment() -> None:
    used: set[tuple[str, str]] = set()
    broken = []
    for path in code_files():
        rel = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not (DIRECT.search(line) or NAMED.search(line)):
                continue
            allowed = [key for key in ALLOWED if key[0] == rel and key[1] in line]
            used.update(allowed)
            if not allowed:
                broken.append(f"{rel}:{number}: {line.strip()}")
    assert not broken, "read these through bot/settings.py:\n" + "\n".join(broken)
    assert used == set(ALLOWED), f"allow-list entries no longer needed: {set(ALLOWED) - used}"


def test_every_setting_is_read_somewhere() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in code_files())
    production = (ROOT / "deploy" / "endpoints.production.yml").read_text(encoding="utf-8")
    unread = []
    for setting in settings.TABLE:
        if setting.group == settings.PRODUCTION_GROUP:
            found = "${" + setting.name + "}" in production
        elif setting.reader:  # read by Rasa or rasa-sdk: the project must hand it on
            found = re.search(rf"settings\.{setting.name}\b|\"{setting.name}\"", code)
        else:
            found = re.search(rf"\bsettings\.{setting.name}\b", code)
        if not found:
            unread.append(setting.name)
    assert not unread, f"in the table but read nowhere: {unread}"


def test_the_table_is_consistent() -> None:
    names = [s.name for s in settings.TABLE]
    assert len(names) == len(set(names))
    for setting in settings.TABLE:
        assert getattr(settings, setting.name) is setting
        assert settings.get(setting.name) is setting
        assert setting.about and "|" not in setting.name
        setting.default_value  # every default parses  # noqa: B018


def test_the_production_defaults_come_from_the_table() -> None:
    text = (ROOT / "deploy" / "endpoints.production.yml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    placeholders = set(re.findall(r"\$\{([A-Z0-9_]+)\}", "\n".join(lines)))
    assert set(PRODUCTION_DEFAULTS) == placeholders - {"ACTION_SERVER_URL"}


def _without_secret(config: object) -> dict:
    return {k: v for k, v in dataclasses.asdict(config).items() if k != "secret"}


def test_config_objects_default_to_the_table() -> None:
    assert _without_secret(GatewayConfig.from_env({})) == _without_secret(GatewayConfig())
    assert ServiceSettings.from_env({}).feedback_store == ServiceSettings().feedback_store
    assert ServiceSettings.from_env({}).conversation_retention_days == (
        ServiceSettings().conversation_retention_days)


@pytest.mark.parametrize(
    ("setting", "given", "expected"),
    [
        (settings.GATEWAY_PORT, "9000", 9000),
        (settings.GATEWAY_PORT, " 9000 ", 9000),
        (settings.GATEWAY_PORT, "", 8000),
        (settings.GATEWAY_PORT, "   ", 8000),
        (settings.RASA_TIMEOUT_SECONDS, "2.5", 2.5),
        (settings.RASA_TIMEOUT_SECONDS, "", 10.0),
        (settings.GATEWAY_HOST, " 0.0.0.0 ", "0.0.0.0"),
        (settings.GATEWAY_HOST, "", "127.0.0.1"),
        (settings.SMTP_PASSWORD, " spaced ", " spaced "),
        (settings.STRICT_PAYLOADS, "false", False),
        (settings.STRICT_PAYLOADS, "Yes", True),
        (settings.STRICT_PAYLOADS, "on", True),
        (settings.STRICT_PAYLOADS, "", False),  # set but blank: false, as before the table
        (settings.ALLOWED_COMMANDS, "/a, /b/ ,,", ("/a", "/b")),
        (settings.ALLOWED_COMMANDS, " , ", ("/greet", "/restart")),
        (settings.ALLOWED_ORIGINS, "", ()),
        (settings.REFERRAL_STORE, "/tmp/x.db", Path("/tmp/x.db")),
        (settings.REFERRAL_STORE, "data/x.db", ROOT / "data" / "x.db"),
        (settings.REFERRAL_STORE, "", ROOT / "var" / "referrals.db"),
    ],
)
def test_each_type_parses(setting: settings.Setting, given: str, expected: object) -> None:
    assert setting.read({setting.name: given}) == expected


def test_unset_means_the_default_and_the_process_environment_is_read_at_call_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert settings.STRICT_PAYLOADS.read({}) is True
    monkeypatch.delenv("RATE_SESSION_BURST", raising=False)
    assert settings.get("RATE_SESSION_BURST").read() == 60
    monkeypatch.setenv("RATE_SESSION_BURST", "7")
    assert settings.RATE_SESSION_BURST.read() == 7
    assert settings.RATE_SESSION_BURST.given() and not settings.RATE_SESSION_BURST.given({})


@pytest.mark.parametrize(
    ("setting", "bad"),
    [(settings.GATEWAY_PORT, "eighty"), (settings.RASA_TIMEOUT_SECONDS, "soon")],
)
def test_a_bad_value_raises_but_can_fall_back(setting: settings.Setting, bad: str) -> None:
    with pytest.raises(ValueError):
        setting.read({setting.name: bad})
    assert setting.read_or_default({setting.name: bad}) == setting.default_value
