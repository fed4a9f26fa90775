"""The public web gateway: ``create_app()`` builds the Sanic app in front of Rasa."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Callable
from typing import Any

from sanic import Request, Sanic
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, html, json

from bot.storage.referral_drafts import ReferralStore
from bot.web.accesslog import setup_access_log
from bot.web.chat import create_chat_blueprint
from bot.web.config import GatewayConfig
from bot.web.contacts import concern_options, human_route_contacts
from bot.web.forget import create_forget_blueprint
from bot.web.formtokens import FormTokens
from bot.web.health import create_health_blueprint
from bot.web.pages import create_pages_blueprint
from bot.web.payloads import OfferedPayloads
from bot.web.ratelimit import RateLimiter
from bot.web.referral.views import create_referral_blueprint
from bot.web.render import message_page
from bot.web.security import setup_security
from bot.web.service.setup import setup_service
from bot.web.sessions import SenderIds
from bot.web.upstream import ActionServerMonitor, RasaForwarder, TurnGate, new_session

log = logging.getLogger(__name__)
_names = itertools.count(1)
PURGE_INTERVAL_SECONDS = 600


def create_app(
    config: GatewayConfig | None = None,
    *,
    fallback_contacts: list[dict[str, str]] | None = None,
    concern_defaults: list[tuple[str, str]] | None = None,
    referral_store: ReferralStore | None = None,
    clock: Callable[[], float] | None = None,
    name: str | None = None,
) -> Sanic:
    """Build the gateway. Contacts and areas of need come from the council content by default."""
    config = config or GatewayConfig.from_env()
    app = Sanic(name or f"eysend_gateway_{next(_names)}")
    app.config.REQUEST_MAX_SIZE = max(config.max_body_bytes, config.max_form_bytes)
    app.config.FALLBACK_ERROR_FORMAT = "json"
    # Slow clients (see bot/web/timeouts.py): headers within REQUEST_TIMEOUT (else 408), the
    # whole exchange within RESPONSE_TIMEOUT (else 503), idle keep-alive closed after
    # KEEP_ALIVE_TIMEOUT. Sanic annotates the three as int; it takes seconds as a float.
    app.config.REQUEST_TIMEOUT = config.request_timeout  # type: ignore[assignment]
    app.config.KEEP_ALIVE_TIMEOUT = config.keep_alive_timeout  # type: ignore[assignment]
    app.config.RESPONSE_TIMEOUT = config.response_timeout or (  # type: ignore[assignment]
        config.upstream_timeout + config.health_timeout + 5
    )
    if config.proxies_count:
        app.config.PROXIES_COUNT = config.proxies_count
    setup_state(app, config, fallback_contacts, referral_store, clock)
    setup_access_log(app)
    setup_security(app, config)
    setup_errors(app)
    setup_http_client(app, config)
    app.blueprint(create_pages_blueprint())
    app.blueprint(create_chat_blueprint(config))
    app.blueprint(create_forget_blueprint(config))
    app.blueprint(create_health_blueprint(config))
    defaults = concern_options() if concern_defaults is None else concern_defaults
    app.blueprint(create_referral_blueprint(config, app.ctx.referrals, defaults))
    setup_service(app, config)  # guide, contact, statements, feedback, /admin/report
    return app


def setup_state(
    app: Sanic,
    config: GatewayConfig,
    fallback_contacts: list[dict[str, str]] | None,
    referral_store: ReferralStore | None,
    clock: Callable[[], float] | None,
) -> None:
    """Objects shared by the routes, kept on ``app.ctx``."""
    limiter_kw: dict[str, Any] = {"clock": clock} if clock else {}
    app.ctx.config = config
    app.ctx.senders = SenderIds(config.secret)
    app.ctx.sender_limiter = RateLimiter(
        config.rate_sender_per_min, config.rate_sender_burst, **limiter_kw
    )
    app.ctx.ip_limiter = RateLimiter(config.rate_ip_per_min, config.rate_ip_burst, **limiter_kw)
    app.ctx.session_limiter = RateLimiter(
        config.rate_session_per_min, config.rate_session_burst, **limiter_kw
    )
    app.ctx.form_tokens = FormTokens(config.secret, config.form_token_hours * 3600)
    app.ctx.offered = OfferedPayloads(config.allowed_commands)
    app.ctx.fallback_contacts = (
        human_route_contacts() if fallback_contacts is None else fallback_contacts
    )
    app.ctx.referrals = referral_store or ReferralStore(
        config.referral_store, config.token_ttl_hours * 3600
    )
    app.ctx.http = None
    app.ctx.forwarder = RasaForwarder(
        config.rasa_urls,
        lambda: app.ctx.http,
        TurnGate(config.rasa_concurrency, config.upstream_timeout),
    )
    app.ctx.action_monitor = ActionServerMonitor(
        config.action_server_url,
        lambda: app.ctx.http,
        config.action_check_ttl,
        config.health_timeout,
    )


def setup_http_client(app: Sanic, config: GatewayConfig) -> None:
    """One pooled aiohttp session per server, and a task that purges expired referrals."""

    @app.before_server_start
    async def open_session(app: Sanic, _loop: Any) -> None:
        app.ctx.http = new_session(config.upstream_timeout)

    @app.after_server_start
    async def start_purge(app: Sanic, _loop: Any) -> None:
        async def purge_forever() -> None:
            while True:
                removed = app.ctx.referrals.purge_expired()
                if removed:
                    log.info("purged %d expired referral drafts", removed)
                await asyncio.sleep(PURGE_INTERVAL_SECONDS)

        app.ctx.purge_task = asyncio.get_running_loop().create_task(purge_forever())

    @app.before_server_stop
    async def stop_purge(app: Sanic, _loop: Any) -> None:
        task = getattr(app.ctx, "purge_task", None)
        if task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @app.after_server_stop
    async def close_session(app: Sanic, _loop: Any) -> None:
        if app.ctx.http is not None:
            await app.ctx.http.close()
            app.ctx.http = None


def setup_errors(app: Sanic) -> None:
    """Errors as JSON for the API and as a plain page elsewhere, never with a stack trace."""

    def render(request: Request, status: int, message: str) -> HTTPResponse:
        if request.path.startswith("/api/") or request.path == "/health":
            return json({"error": message}, status=status)
        return html(message_page(message, ["Go back and try again."], [("/", "Home")]), status)

    @app.exception(SanicException)
    async def known_error(request: Request, exc: SanicException) -> HTTPResponse:
        status = getattr(exc, "status_code", 500) or 500
        messages = {
            404: "Page not found",
            405: "Method not allowed",
            408: "The request took too long to arrive",
            413: "The request is too large",
        }
        return render(request, status, messages.get(status, "Something went wrong"))

    @app.exception(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> HTTPResponse:
        log.error("unexpected %s on %s", type(exc).__name__, request.method)
        return render(request, 500, "Something went wrong")
