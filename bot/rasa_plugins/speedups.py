"""Small, behaviour-preserving speed-ups for Rasa 3.6 internals on the per-message path.

Each function here builds a replacement for one Rasa method; :func:`bot.internals.install`
puts them in place at start-up (the gains are measured in ``docs/performance.md``):

- :func:`cached_event_lookup`: Rasa looks up an event's class by walking every subclass of
  ``Event`` for each event it reads back from the tracker store (hundreds per turn in a
  long conversation): a dictionary built once replaces the walk, falling back to Rasa's
  own lookup for anything it doesn't know.
- :func:`prebuilt_reply_validator`: Rasa checks every action server reply against a JSON
  schema with ``jsonschema.validate``, which re-checks the schema itself and builds a new
  validator on every call: one validator, built once, does the same check.
- :func:`shared_session`: Rasa opens a new HTTP client session, and so a new connection,
  for every call to the action server: one session per endpoint keeps its connections
  open between calls (for less time than the server keeps them, so a connection is
  never reused just as the server closes it).
- :func:`indexed_rule_keys`: Rasa's rule policy tests every rule against the conversation
  on every prediction: the rules are indexed once by the intent and previous action of
  their last state, and only those that could match are tested, by Rasa's own test.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

KEEPALIVE_SECONDS = 2.0  # under the 5 s a Sanic server (our action server) keeps a connection
SHARED_SESSION = "_shared_session"  # set in an EndpointConfig's __dict__


def cached_event_lookup(original: Callable[..., Any]) -> Callable[..., Any]:
    """``Event.resolve_by_type`` from a table built once (Rasa's own for unknown names)."""
    from rasa.shared.core import events
    from rasa.shared.utils.common import all_subclasses

    table: dict[str, Any] = {}
    for cls in all_subclasses(events.Event):
        table.setdefault(cls.type_name, cls)

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        found = table.get(type_name)
        if found is not None:
            return found
        return original(type_name, default)

    return resolve_by_type


def prebuilt_reply_validator(original: Callable[..., bool]) -> Callable[..., bool]:
    """``RemoteAction._validate_action_result`` with one pre-built validator (same errors)."""
    from jsonschema import ValidationError, validators
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        try:
            raise error
        except ValidationError:
            return original(self, result)  # Rasa's own message and re-raise

    return _validate_action_result


class _Borrowed:
    """``async with`` on a shared client session that leaves it open."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *exc: object) -> bool:
        return False


def shared_session(self: Any) -> _Borrowed:
    """``EndpointConfig.session``: one kept-alive client session per endpoint and event loop."""
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    loop = asyncio.get_running_loop()
    shared = self.__dict__.get(SHARED_SESSION)
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
        self.__dict__[SHARED_SESSION] = shared
    return _Borrowed(shared[1])


RULE_INDEX_ATTRIBUTE = "_eysend_rule_index"  # set on RulePolicy instances: must stay free
RuleIndex = dict[tuple[Any, Any], set[str]]


def indexed_rule_keys(original: Callable[..., set[str]]) -> Callable[..., set[str]]:
    """``RulePolicy._get_possible_keys`` that tests only the rules that could match.

    Rasa tests every rule against every state of the conversation on each prediction (335
    rules here, several predictions a turn). A rule whose last state names an intent or a
    previous action can only match a conversation whose last state has the same one, so the
    rules are indexed once by those two, and Rasa's own test is applied to the few rules in
    the matching buckets: the same keys, in a fraction of the time. A conversation whose last
    state has no previous action (its start, where Rasa skips the checks) gets Rasa's own
    search.
    """
    from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
    from rasa.shared.nlu.constants import ACTION_NAME, INTENT

    def named(state: dict[str, Any], part: str, key: str) -> Any:
        value = state.get(part, {}).get(key)
        return None if not value or value == SHOULD_NOT_BE_SET else value

    def index_of(policy: Any, lookup: dict[str, Any]) -> RuleIndex:
        cached = policy.__dict__.setdefault(RULE_INDEX_ATTRIBUTE, {})
        found = cached.get(id(lookup))
        if found is not None and found[0] == len(lookup):
            return found[1]
        index: RuleIndex = {}
        for key in lookup:
            last = policy._rule_key_to_state(key)[-1]
            bucket = (named(last, USER, INTENT), named(last, PREVIOUS_ACTION, ACTION_NAME))
            index.setdefault(bucket, set()).add(key)
        cached[id(lookup)] = (len(lookup), index)
        return index

    def _get_possible_keys(self: Any, lookup: dict[str, Any], states: list[Any]) -> set[str]:
        action = named(states[-1], PREVIOUS_ACTION, ACTION_NAME) if states else None
        if action is None:
            return original(self, lookup, states)
        intent = named(states[-1], USER, INTENT)
        index = index_of(self, lookup)
        possible: set[str] = set()
        for bucket in {(None, None), (None, action), (intent, None), (intent, action)}:
            possible |= index.get(bucket, set())
        for turn, state in enumerate(reversed(states)):
            possible = {key for key in possible if self._is_rule_applicable(key, turn, state)}
        return possible

    return _get_possible_keys
