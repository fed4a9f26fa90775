"""One log line per request: method, path (tokens hidden), status, latency and sender hash."""

from __future__ import annotations

import logging
import re
import time

from sanic import Request, Sanic
from sanic.response import HTTPResponse

from bot.web.sessions import sender_hash

log = logging.getLogger("bot.web.access")
_TOKEN_PATH = re.compile(r"^/referral/[^/]+")


def safe_path(path: str) -> str:
    """The path without referral tokens (the query string is never logged)."""
    return _TOKEN_PATH.sub("/referral/<token>", path)


def client_ip(request: Request) -> str:
    """The client's address (from proxy headers only if PROXIES_COUNT is set)."""
    return request.remote_addr or request.ip or "unknown"


def setup_access_log(app: Sanic) -> None:
    """Time every request and log it when the response is ready. Message text is never logged."""

    @app.on_request
    async def start_timer(request: Request) -> None:
        if not hasattr(request.ctx, "started"):
            request.ctx.started = time.perf_counter()
            request.ctx.sender = None
            request.ctx.client_ip = client_ip(request)

    @app.on_response
    async def log_request(request: Request, response: HTTPResponse) -> None:
        started = getattr(request.ctx, "started", time.perf_counter())
        log.info(
            "%s %s %s %.1fms sender=%s",
            request.method,
            safe_path(request.path),
            response.status,
            (time.perf_counter() - started) * 1000,
            sender_hash(getattr(request.ctx, "sender", None)),
        )
