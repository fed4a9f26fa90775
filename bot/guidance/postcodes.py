"""Optional live postcode lookup (postcodes.io style API) with a short timeout.

Off unless ``POSTCODE_LOOKUP=live``. Any failure (timeout, error, odd reply)
returns None so that the caller falls back to the offline tables.
"""

from __future__ import annotations

import logging
import urllib.parse

import requests

from bot import settings

DEFAULT_URL = settings.POSTCODE_LOOKUP_URL.default
TIMEOUT_SECONDS = 2.0

log = logging.getLogger(__name__)


def live_lookup_enabled() -> bool:
    """True when the deployment has switched the live lookup on."""
    return settings.POSTCODE_LOOKUP.read().lower() == "live"


class PostcodeClient:
    """A small client for one postcode API, reusing its HTTP connection."""

    def __init__(
        self,
        base_url: str | None = None,
        timeout: float = TIMEOUT_SECONDS,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url or settings.POSTCODE_LOOKUP_URL.read()
        self.timeout = timeout
        self.session = session or requests.Session()

    def __call__(self, postcode: str) -> dict | None:
        """The API's 'result' for a full postcode, or None on any failure."""
        url = self.base_url.rstrip("/") + "/" + urllib.parse.quote(postcode.replace(" ", ""))
        try:
            response = self.session.get(url, timeout=self.timeout)
        except requests.RequestException as err:
            log.warning("postcode lookup unavailable: %s", type(err).__name__)
            return None
        if response.status_code != 200:
            log.info("postcode lookup answered %s", response.status_code)
            return None
        try:
            result = response.json().get("result")
        except ValueError:
            return None
        return result if isinstance(result, dict) else None
