"""Small, behaviour-preserving speed-ups for Rasa 3.6 internals on the per-message path.

- Rasa looks up an event's class by walking every subclass of ``Event`` for
  each event it reads back from the tracker store (hundreds per turn in a long
  conversation): a dictionary built once replaces the walk, falling back to
  Rasa's own lookup for anything it doesn't know.
- Rasa checks every action server reply against a JSON schema with
  ``jsonschema.validate``, which re-checks the schema itself and builds a new
  validator on every call: one validator, built once, does the same check.
- Rasa opens a new HTTP client session, and so a new connection, for every call
  to the action server: one session per endpoint keeps its connections open
  between calls (for less time than the server keeps them, so a connection is
  never reused just as the server closes it).

:func:`install` is called when the tracker store is created, once per Rasa
process.
"""

from __future__ import annotations

import asyncio
from typing import Any

_installed = False
KEEPALIVE_SECONDS = 2.0  # under the 5 s a Sanic server (our action server) keeps a connection


def install() -> None:
    """Cache Rasa's event-type lookup (idempotent)."""
    global _installed
    if _installed:
        return
    from rasa.shared.core import events
    from rasa.shared.utils.common import all_subclasses

    original = events.Event.resolve_by_type
    table: dict[str, Any] = {}
    for cls in all_subclasses(events.Event):
        table.setdefault(cls.type_name, cls)

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        found = table.get(type_name)
        if found is not None:
            return found
        return original(type_name, default)

    events.Event.resolve_by_type = staticmethod(resolve_by_type)
    _cache_action_reply_validator()
    _share_client_sessions()
    _installed = True


def _cache_action_reply_validator() -> None:
    """Validate action server replies with one pre-built validator (same errors)."""
    from jsonschema import ValidationError, validators
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    original = RemoteAction._validate_action_result

    def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        try:
            raise error
        except ValidationError:
            return original(self, result)  # Rasa's own message and re-raise

    RemoteAction._validate_action_result = _validate_action_result


class _Borrowed:
    """``async with`` on a shared client session that leaves it open."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *exc: object) -> bool:
        return False


def _share_client_sessions() -> None:
    """One kept-alive client session per endpoint and event loop, instead of one per call."""
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    def session(self: Any) -> _Borrowed:
        loop = asyncio.get_running_loop()
        shared = self.__dict__.get("_shared_session")
        if shared is None or shared[0] is not loop or shared[1].closed:
            auth = None
            if self.basic_auth:
                auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            shared = (
                loop,
                aiohttp.ClientSession(  # the settings of Rasa's own session, kept alive
                    headers=self.headers,
                    auth=auth,
                    timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                    connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
                ),
            )
            self.__dict__["_shared_session"] = shared
        return _Borrowed(shared[1])

    EndpointConfig.session = session
