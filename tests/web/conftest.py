"""Fixtures for the web gateway tests: a fake Rasa upstream and gateway apps wired to it."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sanic import Sanic
from sanic_testing.testing import ASGI_BASE_URL

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]  # fake_upstream, and the repo for `bot`

from fake_upstream import FakeUpstream  # noqa: E402
from web_helpers import CONCERNS, CONTACTS, Clock  # noqa: E402

from bot.web.app import create_app  # noqa: E402
from bot.web.config import GatewayConfig  # noqa: E402
from bot.web.referral.store import ReferralStore  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Sanic warns that server listeners run early under the ASGI test client; that is fine."""
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.filterwarnings("ignore:You have set a listener"))


@pytest.fixture
def upstream() -> Iterator[FakeUpstream]:
    """A fake Rasa + action server on a free loopback port."""
    fake = FakeUpstream().start()
    yield fake
    fake.close()


@pytest.fixture
def base_config(upstream: FakeUpstream, tmp_path: Path) -> GatewayConfig:
    """Settings pointing at the fake upstream, with files under tmp_path."""
    return GatewayConfig(
        rasa_urls=(upstream.url,),
        action_server_url=upstream.url,
        upstream_timeout=1.0,
        health_timeout=0.5,
        action_check_ttl=0.0,
        allowed_origins=("https://www.hertfordshire.gov.uk",),
        public_origins=(ASGI_BASE_URL,),
        frame_ancestors="'self' https://www.hertfordshire.gov.uk",
        secret=b"test-secret-0123456789abcdef0123",
        rate_sender_per_min=600,
        rate_sender_burst=50,
        rate_ip_per_min=600,
        rate_ip_burst=100,
        rate_session_per_min=600,
        rate_session_burst=100,
        referral_store=tmp_path / "referrals.db",
        outbox_dir=tmp_path / "outbox",
    )


@pytest.fixture
def clock() -> Clock:
    """A fake wall clock."""
    return Clock()


@pytest.fixture
def make_app(base_config: GatewayConfig, clock: Clock) -> Callable[..., Sanic]:
    """Build a gateway app; keyword arguments override settings."""

    def build(**overrides: Any) -> Sanic:
        config = replace(base_config, **overrides)
        store = ReferralStore(config.referral_store, config.token_ttl_hours * 3600, clock=clock)
        app = create_app(
            config, fallback_contacts=CONTACTS, concern_defaults=CONCERNS, referral_store=store
        )
        # A browser sends Origin with every form post; the tests' client does the same
        # (a test about cross-site posts sets its own).
        app.asgi_client.headers["origin"] = ASGI_BASE_URL
        return app

    return build


@pytest.fixture
def app(make_app: Callable[..., Sanic]) -> Sanic:
    """A gateway app with the test settings."""
    return make_app()


@pytest.fixture(autouse=True)
def service_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Feedback and report files of every test app under tmp_path, never in the repo's var/."""
    store = tmp_path / "insight.db"
    monkeypatch.setenv("FEEDBACK_STORE", str(store))
    monkeypatch.setenv("TRACKER_DB_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.delenv("ADMIN_REPORT_TOKEN", raising=False)
    return store


STACK_CLIENT = "127.0.0.31"
MODEL = Path(os.environ.get("MODEL_PATH", HERE.parents[1] / "models" / "assistant.tar.gz"))


@dataclass
class Stack:
    """Where the running stack is and what it writes."""

    port: int
    tracker_db: Path
    logs: list[Path]

    def chat(self, sender: str, message: str) -> tuple[int, Any]:
        from test_hostile import request

        return request(
            self.port, STACK_CLIENT, "POST", "/api/chat", {"sender": sender, "message": message}
        )

    def new_sender(self) -> str:
        from test_hostile import request

        status, body = request(self.port, STACK_CLIENT, "POST", "/api/session", {})
        assert status == 201, body
        return body["sender"]

    def stored(self) -> str:
        """Everything in the tracker store, as text."""
        with sqlite3.connect(self.tracker_db) as db:
            rows = db.execute("SELECT sender_id, intent_name, action_name, data FROM events")
            return "\n".join(" ".join(str(c) for c in row) for row in rows)

    def senders(self) -> set[str]:
        with sqlite3.connect(self.tracker_db) as db:
            return {r[0] for r in db.execute("SELECT DISTINCT sender_id FROM events")}

    def logged(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        if os.environ.get("CI"):
            pytest.fail(f"no trained model at {MODEL}: run `make train` first")
        pytest.skip(f"no trained model at {MODEL}")
    work = tmp_path_factory.mktemp("stack")
    from fake_upstream import free_port
    from processes import python_module, running

    actions, rasa, gateway = free_port(), free_port(), free_port()
    tracker_db = work / "tracker.db"
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions}/webhook"\n'
        "tracker_store:\n  type: bot.tracker_store.RedactingSQLTrackerStore\n"
        f'  dialect: "sqlite"\n  db: "{tracker_db}"\n'
    )
    rasa_cmd = [
        str(Path(sys.executable).with_name("rasa")), "run", "--interface", "127.0.0.1",
        "--port", str(rasa), "--model", str(MODEL), "--endpoints", str(endpoints),
        "--credentials", "credentials.yml", "--debug",
    ]  # fmt: skip
    common = {"RASA_TELEMETRY_ENABLED": "false", "LOG_LEVEL": "DEBUG"}
    gateway_env = {
        **common,
        "GATEWAY_PORT": str(gateway),
        "RASA_URLS": f"http://127.0.0.1:{rasa}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions}",
        "RASA_TIMEOUT_SECONDS": "30",
        "TRACKER_DB_URL": f"sqlite:///{tracker_db}",
        "REFERRAL_STORE": str(work / "referrals.db"),
        "FEEDBACK_STORE": str(work / "insight.db"),
        "RATE_SENDER_BURST": "100",
        # The answer tests send hundreds of messages from one address, faster than people.
        "RATE_IP_BURST": "100000",
        "RATE_IP_PER_MIN": "100000",
    }
    logs = [work / "actions.log", work / "rasa.log", work / "gateway.log"]
    with (
        running(
            python_module("bot.action_server"),
            {**common, "ACTION_SERVER_PORT": str(actions)},
            f"http://127.0.0.1:{actions}/health",
            logs[0],
        ),
        running(rasa_cmd, common, f"http://127.0.0.1:{rasa}/", logs[1], timeout=240),
        running(
            python_module("bot.web"), gateway_env, f"http://127.0.0.1:{gateway}/health", logs[2]
        ),
    ):
        yield Stack(gateway, tracker_db, logs)


