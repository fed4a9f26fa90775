"""Settings of the public web gateway, read from the environment (one source of truth)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


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
        env = os.environ if env is None else env
        d = cls.__dataclass_fields__  # defaults live in one place: the fields above

        def get(name: str, key: str) -> str:
            value = env.get(name, "").strip()
            if value:
                return value
            f = d[key]
            return str(f.default) if not callable(f.default_factory) else ""

        secret_text = env.get("GATEWAY_SECRET", "").strip()
        return cls(
            host=get("GATEWAY_HOST", "host"),
            port=int(get("GATEWAY_PORT", "port")),
            rasa_urls=_split(env.get("RASA_URLS", "")) or cls.rasa_urls,
            action_server_url=env.get("ACTION_SERVER_URL", cls.action_server_url)
            .strip()
            .rstrip("/"),
            upstream_timeout=float(get("RASA_TIMEOUT_SECONDS", "upstream_timeout")),
            rasa_concurrency=int(get("RASA_CONCURRENCY", "rasa_concurrency")),
            health_timeout=float(get("HEALTH_TIMEOUT_SECONDS", "health_timeout")),
            action_check_ttl=float(get("ACTION_CHECK_TTL_SECONDS", "action_check_ttl")),
            allowed_origins=_split(env.get("ALLOWED_ORIGINS", "")),
            public_origins=_split(env.get("PUBLIC_ORIGINS", "")),
            form_token_hours=float(get("FORM_TOKEN_HOURS", "form_token_hours")),
            frame_ancestors=get("FRAME_ANCESTORS", "frame_ancestors"),
            secret=secret_text.encode() if secret_text else secrets.token_bytes(32),
            max_body_bytes=int(get("MAX_BODY_BYTES", "max_body_bytes")),
            max_message_chars=int(get("MAX_MESSAGE_CHARS", "max_message_chars")),
            rate_sender_per_min=float(get("RATE_SENDER_PER_MIN", "rate_sender_per_min")),
            rate_sender_burst=int(get("RATE_SENDER_BURST", "rate_sender_burst")),
            rate_session_per_min=float(get("RATE_SESSION_PER_MIN", "rate_session_per_min")),
            rate_session_burst=int(get("RATE_SESSION_BURST", "rate_session_burst")),
            rate_ip_per_min=float(get("RATE_IP_PER_MIN", "rate_ip_per_min")),
            rate_ip_burst=int(get("RATE_IP_BURST", "rate_ip_burst")),
            strict_payloads=_bool(env.get("STRICT_PAYLOADS", "true")),
            allowed_commands=_split(env.get("ALLOWED_COMMANDS", "")) or cls.allowed_commands,
            start_payload=get("WIDGET_START_PAYLOAD", "start_payload"),
            token_ttl_hours=float(get("TOKEN_TTL_HOURS", "token_ttl_hours")),
            referral_store=_path(env.get("REFERRAL_STORE", ""), cls.referral_store),
            outbox_dir=_path(env.get("OUTBOX_DIR", ""), cls.outbox_dir),
            smtp=SmtpSettings(
                host=env.get("SMTP_HOST", "").strip(),
                port=int(env.get("SMTP_PORT", "").strip() or 587),
                user=env.get("SMTP_USER", "").strip(),
                password=env.get("SMTP_PASSWORD", ""),
                starttls=_bool(env.get("SMTP_STARTTLS", "true")),
                sender=env.get("SMTP_FROM", "").strip(),
                to=env.get("SMTP_TO", "").strip(),
            ),
            proxies_count=int(get("PROXIES_COUNT", "proxies_count")),
            tracker_db_url=env.get("TRACKER_DB_URL", "").strip(),
            request_timeout=float(get("REQUEST_TIMEOUT_SECONDS", "request_timeout")),
            keep_alive_timeout=float(get("KEEP_ALIVE_TIMEOUT_SECONDS", "keep_alive_timeout")),
            response_timeout=float(get("RESPONSE_TIMEOUT_SECONDS", "response_timeout")),
            redact_messages=_bool(env.get("REDACT_MESSAGES", "true")),
        )


def _path(value: str, default: Path) -> Path:
    value = value.strip()
    if not value:
        return default
    path = Path(value)
    return path if path.is_absolute() else REPO_ROOT / path
