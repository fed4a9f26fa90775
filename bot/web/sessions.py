"""Sender ids issued by the gateway: 144 random bits plus an HMAC signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

_SENDER_RE = re.compile(r"^[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{22}$")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class SenderIds:
    """Issues and checks sender ids signed with the gateway secret."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _sign(self, nonce: str) -> str:
        return _b64(hmac.new(self._secret, nonce.encode(), hashlib.sha256).digest()[:16])

    def issue(self) -> str:
        """A new random, unguessable sender id."""
        nonce = _b64(secrets.token_bytes(18))
        return f"{nonce}.{self._sign(nonce)}"

    @staticmethod
    def well_formed(sender: object) -> bool:
        """True if the value has the shape of a sender id (says nothing about its signature)."""
        return isinstance(sender, str) and bool(_SENDER_RE.match(sender))

    def valid(self, sender: str) -> bool:
        """True if the id was issued with this gateway's secret."""
        if not self.well_formed(sender):
            return False
        nonce, signature = sender.split(".")
        return hmac.compare_digest(signature, self._sign(nonce))


def sender_hash(sender: str | None) -> str:
    """A short, non-reversible tag for logs."""
    if not sender:
        return "-"
    return hashlib.sha256(sender.encode()).hexdigest()[:12]
