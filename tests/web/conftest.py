"""Fixtures for the web gateway tests: a fake Rasa upstream and gateway apps wired to it; the
real stack (once per session) and the browser tests' fixtures, from tests/helpers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sanic import Sanic
from sanic_testing.testing import ASGI_BASE_URL

from bot.storage.referral_drafts import ReferralStore
from bot.web.app import create_app
from bot.web.config import GatewayConfig
from tests.helpers.browser import (  # noqa: F401  (module-scoped fixtures of the browser tests)
    browser,
    council_site,
    gateway,
    sync_api,
    upstream_live,
)
from tests.helpers.fake_upstream import FakeUpstream
from tests.helpers.stack import MODEL, Stack, real_stack
from tests.helpers.web_app import CONCERNS, CONTACTS, Clock

HERE = Path(__file__).resolve().parent


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


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real assistant (action server, Rasa, gateway), started once for the session."""
    if not MODEL.exists():
        if os.environ.get("CI"):
            pytest.fail(f"no trained model at {MODEL}: run `make train` first")
        pytest.skip(f"no trained model at {MODEL}")
    with real_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running
