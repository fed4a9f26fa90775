"""``python -m bot.web``: run the public gateway on GATEWAY_HOST:GATEWAY_PORT.

With ``WAIT_FOR_UPSTREAM_SECONDS`` set (``make run`` sets it), the "open http://localhost:PORT"
line is printed once Rasa and the action server answer, so it is the last thing you see.
The gateway serves from the start either way, answering 503 until they are up.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from sanic import Sanic

from bot import settings
from bot.web.app import create_app
from bot.web.config import GatewayConfig
from bot.web.timeouts import BoundedHttpProtocol
from bot.web.upstream import probe


def setup_logging() -> None:
    """Our log lines (one per request) on stderr, without doubling Sanic's own."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    ours = logging.getLogger("bot")
    ours.addHandler(handler)
    ours.setLevel(settings.LOG_LEVEL.read())
    ours.propagate = False


async def wait_for_upstream(app: Sanic, config: GatewayConfig, seconds: float) -> bool:
    """Poll Rasa and the action server until both answer or the time is up."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    urls = [f"{config.rasa_urls[0]}/"]
    if config.action_server_url:
        urls.append(f"{config.action_server_url}/health")
    while True:
        results = [await probe(app.ctx.http, url, config.health_timeout) for url in urls]
        if all(results) or loop.time() >= deadline:
            return all(results)
        await asyncio.sleep(1)


def main() -> None:
    """Start the gateway and say where to open it."""
    setup_logging()
    config = GatewayConfig.from_env()
    from bot.operations.preflight import check_disk, min_free_mb

    for problem in check_disk(config.referral_store.parent, min_free_mb()):
        print(f"Not starting the gateway: {problem}", file=sys.stderr)
        sys.exit(2)
    wait = settings.WAIT_FOR_UPSTREAM_SECONDS.read()
    app = create_app(config, name="eysend_gateway")

    @app.after_server_start
    async def announce(app: Sanic, _loop: Any) -> None:
        async def later() -> None:
            if wait > 0:
                print("Gateway up; waiting for Rasa and the action server...", flush=True)
                if not await wait_for_upstream(app, config, wait):
                    print("Rasa or the action server is not answering yet.", flush=True)
            print(f"open http://localhost:{config.port}", flush=True)

        app.ctx.announce_task = asyncio.get_running_loop().create_task(later())

    app.run(
        host=config.host,
        port=config.port,
        access_log=False,
        debug=False,
        workers=1,
        motd=False,
        protocol=BoundedHttpProtocol,
    )


if __name__ == "__main__":
    main()
