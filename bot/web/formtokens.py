"""Hidden-field tokens for the pages' forms, which work without JavaScript.

A token is ``<expiry>.<HMAC(secret, path, expiry)>``: it is bound to the form's action path,
signed with the gateway secret and expires after ``FORM_TOKEN_HOURS``. No cookie and nothing
stored: the gateway promises no cookies. ``add_tokens`` puts one in every ``method="post"``
form of an HTML page, so a new form is covered without being told.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable

from bot.web.params import Param

FIELD = "form_token"
TOKEN = Param(FIELD, 80)
_TOKEN_RE = re.compile(r"^(\d{1,12})\.([0-9a-f]{32})$")
_POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.IGNORECASE)
_ACTION = re.compile(r"\baction=\"([^\"]*)\"")


class FormTokens:
    """Issues and checks form tokens."""

    def __init__(self, secret: bytes, ttl_seconds: float,
                 clock: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self.ttl = ttl_seconds
        self.clock = clock

    def _mac(self, path: str, expires: int) -> str:
        message = f"form|{path}|{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def issue(self, path: str) -> str:
        """A token for a form that posts to ``path``."""
        expires = int(self.clock() + self.ttl)
        return f"{expires}.{self._mac(path, expires)}"

    def valid(self, token: str, path: str) -> bool:
        """True if ``token`` was issued for ``path`` by this gateway and has not expired."""
        match = _TOKEN_RE.match(token or "")
        if not match:
            return False
        expires = int(match.group(1))
        if expires < self.clock():
            return False
        return hmac.compare_digest(match.group(2), self._mac(path, expires))

    def add_tokens(self, html: str, page_path: str) -> str:
        """``html`` with a hidden token field in each of its post forms."""

        def with_token(match: re.Match[str]) -> str:
            action = _ACTION.search(match.group(0))
            path = (action.group(1) if action else "") or page_path
            path = path.split("?", 1)[0]
            return (f'{match.group(0)}<input type="hidden" name="{FIELD}" '
                    f'value="{self.issue(path)}">')

        return _POST_FORM.sub(with_token, html)
