"""Settings of the public web gateway, read through the settings table (bot/settings.py)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot import settings

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class SmtpSettings:
    """Where prepared service requests are e-mailed; unused unless host, sender and to are set."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True
    sender: str = ""
    to: str = ""

    @property
    def enabled(self) -> bool:
        """True when there is enough to send an e-mail."""
        return bool(self.host and self.sender and self.to)


@dataclass(frozen=True)
class GatewayConfig:
    """Everything the gateway can be told. Build it with :meth:`from_env` or directly in tests."""

    host: str = "127.0.0.1"
    port: int = 8000
    rasa_urls: tuple[str, ...] = ("http://127.0.0.1:5005",)
    action_server_url: str = "http://127.0.0.1:5055"
    upstream_timeout: float = 10.0
    rasa_concurrency: int = 3  # turns in progress per Rasa instance; more wait in order
    health_timeout: float = 2.0
    action_check_ttl: float = 5.0
    allowed_origins: tuple[str, ...] = ()
    # Where people open the gateway (PUBLIC_ORIGINS); empty: http://localhost:PORT,
    # http://127.0.0.1:PORT and http://[::1]:PORT, as `make run` prints. Never the Host header.
    public_origins: tuple[str, ...] = ()
    form_token_hours: float = 24.0
    frame_ancestors: str = "'self'"
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    max_body_bytes: int = 8 * 1024
    max_form_bytes: int = 32 * 1024
    max_message_chars: int = 1000
    max_free_text_chars: int = 2000
    rate_sender_per_min: float = 30.0
    rate_sender_burst: int = 10
    rate_session_per_min: float = 30.0  # new conversations per address
    rate_session_burst: int = 60
    rate_ip_per_min: float = 1200.0  # backstop per address: a room of parents is fine
    rate_ip_burst: int = 400
    strict_payloads: bool = True
    allowed_commands: tuple[str, ...] = ("/greet", "/restart")
    start_payload: str = "/greet"
    token_ttl_hours: float = 24.0
    referral_store: Path = REPO_ROOT / "var" / "referrals.db"
    outbox_dir: Path = REPO_ROOT / "var" / "outbox"
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    proxies_count: int = 0
    tracker_db_url: str = ""  # empty: the database in endpoints.yml (ENDPOINTS_FILE)
    request_timeout: float = 10.0
    keep_alive_timeout: float = 5.0
    response_timeout: float = 0.0  # 0: RASA_TIMEOUT_SECONDS + HEALTH_TIMEOUT_SECONDS + 5
    redact_messages: bool = True

    @property
    def own_origins(self) -> tuple[str, ...]:
        """The origins the gateway's own pages are served from."""
        if self.public_origins:
            return self.public_origins
        return tuple(f"http://{h}:{self.port}" for h in ("localhost", "127.0.0.1", "[::1]"))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GatewayConfig:
        """Read the settings from environment variables, falling back to safe defaults."""
        secret_text = settings.GATEWAY_SECRET.read(env)
        return cls(
            host=settings.GATEWAY_HOST.read(env),
            port=settings.GATEWAY_PORT.read(env),
            rasa_urls=settings.RASA_URLS.read(env),
            action_server_url=_action_server_url(env),
            upstream_timeout=settings.RASA_TIMEOUT_SECONDS.read(env),
            rasa_concurrency=settings.RASA_CONCURRENCY.read(env),
            health_timeout=settings.HEALTH_TIMEOUT_SECONDS.read(env),
            action_check_ttl=settings.ACTION_CHECK_TTL_SECONDS.read(env),
            allowed_origins=settings.ALLOWED_ORIGINS.read(env),
            public_origins=settings.PUBLIC_ORIGINS.read(env),
            form_token_hours=settings.FORM_TOKEN_HOURS.read(env),
            frame_ancestors=settings.FRAME_ANCESTORS.read(env),
            secret=secret_text.encode() if secret_text else secrets.token_bytes(32),
            max_body_bytes=settings.MAX_BODY_BYTES.read(env),
            max_message_chars=settings.MAX_MESSAGE_CHARS.read(env),
            rate_sender_per_min=settings.RATE_SENDER_PER_MIN.read(env),
            rate_sender_burst=settings.RATE_SENDER_BURST.read(env),
            rate_session_per_min=settings.RATE_SESSION_PER_MIN.read(env),
            rate_session_burst=settings.RATE_SESSION_BURST.read(env),
            rate_ip_per_min=settings.RATE_IP_PER_MIN.read(env),
            rate_ip_burst=settings.RATE_IP_BURST.read(env),
            strict_payloads=settings.STRICT_PAYLOADS.read(env),
            allowed_commands=settings.ALLOWED_COMMANDS.read(env),
            start_payload=settings.WIDGET_START_PAYLOAD.read(env),
            token_ttl_hours=settings.TOKEN_TTL_HOURS.read(env),
            referral_store=settings.REFERRAL_STORE.read(env),
            outbox_dir=settings.OUTBOX_DIR.read(env),
            smtp=SmtpSettings(
                host=settings.SMTP_HOST.read(env),
                port=settings.SMTP_PORT.read(env),
                user=settings.SMTP_USER.read(env),
                password=settings.SMTP_PASSWORD.read(env),
                starttls=settings.SMTP_STARTTLS.read(env),
                sender=settings.SMTP_FROM.read(env),
                to=settings.SMTP_TO.read(env),
            ),
            proxies_count=settings.PROXIES_COUNT.read(env),
            tracker_db_url=settings.TRACKER_DB_URL.read(env),
            request_timeout=settings.REQUEST_TIMEOUT_SECONDS.read(env),
            keep_alive_timeout=settings.KEEP_ALIVE_TIMEOUT_SECONDS.read(env),
            response_timeout=settings.RESPONSE_TIMEOUT_SECONDS.read(env),
            redact_messages=settings.REDACT_MESSAGES.read(env),
        )


def _action_server_url(env: Mapping[str, str] | None) -> str:
    """``ACTION_SERVER_URL``; set but empty means the gateway does not check the action server."""
    setting = settings.ACTION_SERVER_URL
    return setting.text(env).rstrip("/") if setting.given(env) else setting.default
