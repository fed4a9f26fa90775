"""Start the action server on loopback after checking the council's content.

``python -m bot.operations.action_server`` refuses to start, with a clear message, if the
content file is missing or invalid, so the assistant never runs half-configured.
"""

from __future__ import annotations

import logging
import os
import sys

from bot import settings
from bot.guidance.content import ContentError, load_content

DEFAULT_PORT = settings.ACTION_SERVER_PORT.default_value


def main() -> int:
    """Validate the content, then serve the actions on 127.0.0.1."""
    logging.basicConfig(level=settings.LOG_LEVEL.read())
    try:
        content = load_content()
    except ContentError as err:
        print(f"Not starting the action server: {err}", file=sys.stderr)
        return 2
    print(f"Content loaded for {content.council.name}", flush=True)
    os.environ.setdefault(settings.SANIC_HOST.name, settings.SANIC_HOST.default)  # for rasa-sdk
    from rasa_sdk.endpoint import run

    run("actions", port=settings.ACTION_SERVER_PORT.read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
