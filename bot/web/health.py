"""GET /health: is the gateway up, and can it reach Rasa and the action server?"""

from __future__ import annotations

import asyncio

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from bot.web.config import GatewayConfig
from bot.web.upstream import probe


def create_health_blueprint(config: GatewayConfig) -> Blueprint:
    """The health route. It names no internal addresses."""
    bp = Blueprint("health")

    @bp.get("/health")
    async def health(request: Request) -> HTTPResponse:
        session = request.app.ctx.http
        checks = [probe(session, f"{url}/", config.health_timeout) for url in config.rasa_urls]
        monitor = request.app.ctx.action_monitor
        results = await asyncio.gather(*checks, monitor.check())
        rasa_up = sum(results[:-1])
        action = "ok" if not monitor.enabled or results[-1] else "down"
        rasa = "ok" if rasa_up == len(config.rasa_urls) else ("degraded" if rasa_up else "down")
        healthy = rasa_up > 0 and action == "ok"
        body = {
            "status": "ok" if healthy else "unavailable",
            "gateway": "ok",
            "rasa": {"status": rasa, "up": rasa_up, "instances": len(config.rasa_urls)},
            "action_server": action if monitor.enabled else "not configured",
        }
        return json(body, status=200 if healthy else 503)

    return bp
