"""The one door into the private parts of Rasa, rasa-sdk and Sanic that this project relies on.

Everything the project does to Rasa beyond its public extension points is listed in
:data:`PRIVATE`, with where it is used, why, and the signature it had when it was written
(Rasa 3.6.21, rasa-sdk 3.6.2, Sanic 21.12.2). ``tests/test_internals.py`` fails, naming the
override to revisit, as soon as an upgrade changes any of them.

:func:`install` puts the project's replacements of Rasa methods in place. It is called once,
at the start of each Rasa process, by :mod:`bot.rasa_plugins.run` (what the launcher, the
systemd units and the tests start Rasa through); tests that exercise a patched method call
it themselves. Everything else in the list is a subclass overriding or calling a private
method, which needs no installing.

This module imports nothing from Rasa at import time, so listing and checking are cheap.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PATCHED = "patched"  # replaced on Rasa's class by install()
OVERRIDDEN = "overridden"  # a method our subclass replaces or wraps with super()
CALLED = "called"  # a private method or attribute we call or read
OURS = "our attribute"  # a name we set on Rasa's objects: must stay free of Rasa's own

ATTRIBUTE = "attribute"  # recorded for a non-callable that exists
ASSIGNED = "set by its code"  # recorded for an instance attribute the class sets
FREE = "free"  # recorded for a name Rasa's class must not define

PERF = "docs/performance.md"


@dataclass(frozen=True)
class Private:
    """One symbol of Rasa, rasa-sdk or Sanic the project depends on beyond the public API."""

    target: str  # "module:Class.name" (or "module:function")
    how: str  # PATCHED, OVERRIDDEN, CALLED or OURS
    used_in: str  # the override to revisit when it changes
    reason: str
    recorded: str  # str(inspect.signature(...)), or ATTRIBUTE / ASSIGNED / FREE


PRIVATE: tuple[Private, ...] = (
    # --- install(): replaced on Rasa's classes ---------------------------------------------
    Private(
        "rasa.shared.core.events:Event.resolve_by_type", PATCHED,
        "bot/rasa_plugins/speedups.py cached_event_lookup",
        f"a table instead of walking every Event subclass per event read back ({PERF}, item 9)",
        (
            "(type_name: str, default: Optional[Type[ForwardRef('Event')]] = None) -> "
            "Optional[Type[ForwardRef('Event')]]"
        ),
    ),
    Private(
        "rasa.core.actions.action:RemoteAction._validate_action_result", PATCHED,
        "bot/rasa_plugins/speedups.py prebuilt_reply_validator",
        f"one JSON-schema validator built once, not one per reply: 25 -> 7 ms ({PERF}, item 9)",
        '(self, result: Dict[str, Any]) -> bool',
    ),
    Private(
        "rasa.utils.endpoints:EndpointConfig.session", PATCHED,
        "bot/rasa_plugins/speedups.py shared_session",
        f"kept-alive connections to the action server, not one session per call ({PERF}, item 5)",
        '(self) -> aiohttp.client.ClientSession',
    ),
    Private(
        "rasa.core.policies.rule_policy:RulePolicy._get_possible_keys", PATCHED,
        "bot/rasa_plugins/speedups.py indexed_rule_keys",
        f"only the rules that could match the last state are tested, not all 335 ({PERF}, "
        "item 11)",
        "(self, lookup: 'Dict[Text, Text]', states: 'List[State]') -> 'Set[Text]'",
    ),
    Private(
        "rasa.core.policies.rule_policy:RulePolicy._is_rule_applicable", CALLED,
        "bot/rasa_plugins/speedups.py indexed_rule_keys",
        "Rasa's own test of one rule against one state, applied to the indexed candidates",
        "(self, rule_key: 'Text', turn_index: 'int', conversation_state: 'State') -> 'bool'",
    ),
    Private(
        "rasa.core.policies.rule_policy:RulePolicy._rule_key_to_state", CALLED,
        "bot/rasa_plugins/speedups.py indexed_rule_keys",
        "a rule's states, to index it by its last one",
        "(rule_key: 'Text') -> 'List[State]'",
    ),
    Private(
        "rasa.core.policies.rule_policy:RulePolicy._eysend_rule_index", OURS,
        "bot/rasa_plugins/speedups.py indexed_rule_keys",
        "the index of the policy's rules, kept on the policy",
        FREE,
    ),
    Private(
        "rasa.core.actions.action:RemoteAction.run", PATCHED,
        "bot/rasa_plugins/turn_failures.py recording_faults",
        "a custom action that raised is recorded for the turn (the REST channel answers 503); "
        "Rasa's processor would only log it",
        (
            "(self, output_channel: 'OutputChannel', nlg: 'NaturalLanguageGenerator', tracker: "
            "'DialogueStateTracker', domain: 'Domain') -> List[rasa.shared.core.events.Event]"
        ),
    ),
    # --- the tracker store chain (bot/rasa_plugins/tracker_store.py) ----------------------
    Private(
        "rasa.core.tracker_store:SQLTrackerStore.__init__", OVERRIDDEN,
        "bot/rasa_plugins/tracker_store.py (every mixin of the chain passes *args, **kwargs on)",
        "the mixins add their own settings (history_turns, cached_conversations)",
        (
            "(self, domain: 'Optional[Domain]' = None, dialect: 'Text' = 'sqlite', host: "
            "'Optional[Text]' = None, port: 'Optional[int]' = None, db: 'Text' = 'rasa.db', "
            "username: 'Text' = None, password: 'Text' = None, event_broker: "
            "'Optional[EventBroker]' = None, login_db: 'Optional[Text]' = None, query: "
            "'Optional[Dict]' = None, **kwargs: 'Dict[Text, Any]') -> 'None'"
        ),
    ),
    Private(
        "rasa.core.tracker_store:SQLTrackerStore._additional_events", OVERRIDDEN,
        "bot/rasa_plugins/tracker_store.py RedactingMixin, tracker_window.py HistoryWindowMixin, "
        "called by sql_engine.py BulkSaveMixin",
        "redaction of every row written; the events not stored yet counted without reading "
        f"the conversation back ({PERF}, item 1)",
        '(self, session: "\'Session\'", tracker: \'DialogueStateTracker\') -> \'Iterator\'',
    ),
    Private(
        "rasa.core.tracker_store:SQLTrackerStore.save", OVERRIDDEN,
        "bot/rasa_plugins/sql_engine.py BulkSaveMixin (rewritten), tracker_cache.py, "
        "tracker_window.py, turn_failures.py StoreFaultMixin",
        f"one insert per turn instead of one ORM object per event ({PERF}, item 4)",
        "(self, tracker: 'DialogueStateTracker') -> 'None'",
    ),
    Private(
        "rasa.core.tracker_store:SQLTrackerStore.retrieve", OVERRIDDEN,
        "bot/rasa_plugins/tracker_cache.py, tracker_window.py, turn_failures.py StoreFaultMixin",
        f"the last turn's tracker reused, a long conversation read from a checkpoint "
        f"({PERF}, items 1 and 2)",
        "(self, sender_id: 'Text') -> 'Optional[DialogueStateTracker]'",
    ),
    Private(
        "rasa.core.tracker_store:SQLTrackerStore.retrieve_full_tracker", OVERRIDDEN,
        "bot/rasa_plugins/turn_failures.py StoreFaultMixin",
        "a database fault is recorded for the turn",
        "(self, conversation_id: 'Text') -> 'Optional[DialogueStateTracker]'",
    ),
    Private(
        "rasa.core.tracker_store:SQLTrackerStore.session_scope", CALLED,
        "bot/rasa_plugins/sql_engine.py BulkSaveMixin, tracker_window.py",
        "the rewritten save and the checkpoint reads use Rasa's sessions",
        '(self) -> "Generator[\'Session\', None, None]"',
    ),
    Private(
        "rasa.core.tracker_store:SQLTrackerStore.stream_events", CALLED,
        "bot/rasa_plugins/sql_engine.py BulkSaveMixin",
        "the rewritten save does what Rasa's does first",
        "(self, tracker: 'DialogueStateTracker') -> 'None'",
    ),
    Private(
        "rasa.core.tracker_store:SQLTrackerStore.SQLEvent", CALLED,
        "bot/rasa_plugins/sql_engine.py, tracker_window.py, tracker_cache.py",
        "the events table, written and read directly",
        ATTRIBUTE,
    ),
    Private(
        "rasa.core.tracker_store:SQLTrackerStore.engine", CALLED,
        "bot/rasa_plugins/sql_engine.py TunedEngineMixin",
        "replaced by a tuned engine after Rasa made its own",
        ASSIGNED,
    ),
    Private(
        "rasa.core.tracker_store:SQLTrackerStore.sessionmaker", CALLED,
        "bot/rasa_plugins/sql_engine.py TunedEngineMixin",
        "rebound to the tuned engine",
        ASSIGNED,
    ),
    Private(
        "rasa.core.tracker_store:create_engine_kwargs", CALLED,
        "bot/rasa_plugins/sql_engine.py tuned_engine",
        "the engine settings Rasa would use for a database server",
        '(url: "Union[Text, \'URL\']") -> \'Dict[Text, Any]\'',
    ),
    Private(
        "rasa.core.tracker_store:FailSafeTrackerStore._tracker_store", CALLED,
        "bot/rasa_plugins/channel.py own_store",
        "'delete my conversation' reaches our store inside Rasa's fail-safe wrapper",
        ASSIGNED,
    ),
    Private(
        "rasa.shared.core.trackers:DialogueStateTracker._stored_event_count", OURS,
        "bot/rasa_plugins/tracker_window.py _STORED",
        "how many of a tracker's events are stored, so a save reads nothing back",
        FREE,
    ),
    Private(
        "rasa.shared.core.trackers:DialogueStateTracker._history_folded", OURS,
        "bot/rasa_plugins/tracker_window.py FOLDED",
        "a tracker just checkpointed is not kept in memory",
        FREE,
    ),
    Private(
        "rasa.shared.core.trackers:DialogueStateTracker._deletions_seen", OURS,
        "bot/storage/deletions.py SEEN",
        "a turn of a conversation deleted meanwhile is not written",
        FREE,
    ),
    Private(
        "rasa.shared.core.trackers:DialogueStateTracker._deleted_during_turn", OURS,
        "bot/storage/deletions.py DISCARDED",
        "a turn of a conversation deleted meanwhile is not written",
        FREE,
    ),
    Private(
        "rasa.utils.endpoints:EndpointConfig._shared_session", OURS,
        "bot/rasa_plugins/speedups.py SHARED_SESSION",
        "the kept-alive session of an endpoint",
        FREE,
    ),
    # --- the lock store (bot/rasa_plugins/lock_store.py) ----------------------------------
    Private(
        "rasa.core.lock_store:RedisLockStore.lock", OVERRIDDEN,
        "bot/rasa_plugins/lock_store.py RequeueMixin (rewritten)",
        "a turn whose ticket expired while it waited queues again instead of waiting forever",
        (
            "(self, conversation_id: 'Text', lock_lifetime: 'float' = 60, wait_time_in_seconds: "
            "'float' = 1) -> 'AsyncGenerator[TicketLock, None]'"
        ),
    ),
    Private(
        "rasa.core.lock:TicketLock._ticket_for_ticket_number", CALLED,
        "bot/rasa_plugins/lock_store.py RequeueMixin",
        "tells whether the waiting turn's ticket expired",
        '(self, ticket_number: int) -> Optional[rasa.core.lock.Ticket]',
    ),
    # --- the REST channel (bot/rasa_plugins/channel.py) ----------------------------------
    Private(
        "rasa.core.channels.rest:RestInput.blueprint", OVERRIDDEN,
        "bot/rasa_plugins/channel.py GuardedRestInput",
        "503 for a turn with faults, retries answered from the stored turn, /forget",
        (
            '(self, on_new_message: Callable[[rasa.core.channels.channel.UserMessage], '
            'Awaitable[NoneType]]) -> sanic.blueprints.Blueprint'
        ),
    ),
    Private(
        "rasa.core.channels.rest:RestInput._extract_sender", CALLED,
        "bot/rasa_plugins/channel.py GuardedRestInput.blueprint",
        "reads the request the way the stock channel does",
        '(self, req: sanic.request.Request) -> Optional[str]',
    ),
    Private(
        "rasa.core.channels.rest:RestInput._extract_message", CALLED,
        "bot/rasa_plugins/channel.py GuardedRestInput.blueprint",
        "reads the request the way the stock channel does",
        '(self, req: sanic.request.Request) -> Optional[str]',
    ),
    Private(
        "rasa.core.channels.rest:RestInput._extract_input_channel", CALLED,
        "bot/rasa_plugins/channel.py GuardedRestInput.blueprint",
        "reads the request the way the stock channel does",
        '(self, req: sanic.request.Request) -> str',
    ),
    # --- the forms (actions/forms.py ReadingFormValidation) -------------------------------
    Private(
        "rasa_sdk.forms:FormValidationAction.run", OVERRIDDEN,
        "actions/forms.py ReadingFormValidation.run",
        "keeps every slot the reading set, not only the form's questions",
        (
            "(self, dispatcher: 'CollectingDispatcher', tracker: 'Tracker', domain: 'DomainDict')"
            ' -> List[Dict[str, Any]]'
        ),
    ),
    Private(
        "rasa_sdk.forms:FormValidationAction.get_extraction_events", OVERRIDDEN,
        "actions/referral.py, actions/dspl.py (the forms read whole messages)",
        "one message can answer several questions, or none",
        (
            "(self, dispatcher: 'CollectingDispatcher', tracker: 'Tracker', domain: 'DomainDict')"
            ' -> List[Dict[str, Any]]'
        ),
    ),
    Private(
        "rasa_sdk.forms:FormValidationAction.required_slots", OVERRIDDEN,
        "actions/referral.py ValidateReferralForm",
        "the check's questions depend on the answers so far",
        (
            "(self, domain_slots: List[str], dispatcher: 'CollectingDispatcher', tracker: "
            "'Tracker', domain: 'DomainDict') -> List[str]"
        ),
    ),
    Private(
        "rasa_sdk.forms:FormValidationAction.get_validation_events", OVERRIDDEN,
        "actions/forms.py ReadingFormValidation",
        "the reading validated the answers; rasa-sdk would log 'Skipping validation' per slot",
        (
            "(self, dispatcher: 'CollectingDispatcher', tracker: 'Tracker', domain: 'DomainDict')"
            ' -> List[Dict[str, Any]]'
        ),
    ),
    Private(
        "rasa_sdk.forms:FormValidationAction._extract_validation_events", CALLED,
        "actions/forms.py ReadingFormValidation.run",
        "rasa-sdk's own step that picks the next question",
        (
            "(self, dispatcher: 'CollectingDispatcher', tracker: 'Tracker', domain: 'DomainDict')"
            ' -> List[Dict[str, Any]]'
        ),
    ),
    # --- the gateway's Sanic (bot/web/timeouts.py) ----------------------------------------
    Private(
        "sanic.server.protocols.http_protocol:HttpProtocol.data_received", OVERRIDDEN,
        "bot/web/timeouts.py BoundedHttpProtocol",
        "timers counted from a request's first byte, against slow clients",
        "(self, data: 'bytes')",
    ),
    Private(
        "sanic.server.protocols.http_protocol:HttpProtocol._http", CALLED,
        "bot/web/timeouts.py BoundedHttpProtocol",
        "the stage of the request under way",
        ASSIGNED,
    ),
    Private(
        "sanic.server.protocols.http_protocol:HttpProtocol._time", CALLED,
        "bot/web/timeouts.py BoundedHttpProtocol",
        "the timer Sanic restarts on every byte, put back",
        ASSIGNED,
    ),
)

_originals: dict[str, Any] = {}  # what install() replaced, by target


def resolve(target: str) -> tuple[Any, str]:
    """The class (or module) that holds ``target`` ("module:Class.name"), and the name."""
    module, _, qualname = target.partition(":")
    owner, _, name = qualname.rpartition(".")
    holder: Any = importlib.import_module(module)
    for part in filter(None, owner.split(".")):
        holder = getattr(holder, part)
    return holder, name


def _assigned_by_its_code(cls: type, name: str) -> bool:
    """True if the class or a base of it sets ``self.<name>`` (an instance attribute)."""
    for klass in cls.__mro__[:-1]:  # not object
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        if f"self.{name} =" in source or f"self.{name}: " in source:
            return True
    return False


def observed(item: Private) -> str:
    """What ``item`` looks like in the installed packages, in the form it was recorded in."""
    holder, name = resolve(item.target)
    if item.recorded == FREE:
        return "taken" if hasattr(holder, name) else FREE
    if item.recorded == ASSIGNED:
        return ASSIGNED if _assigned_by_its_code(holder, name) else "missing"
    member = _originals.get(item.target, getattr(holder, name, None))  # Rasa's own
    if member is None:
        return "missing"
    if item.recorded == ATTRIBUTE:
        return ATTRIBUTE
    return str(inspect.signature(member))


def changed() -> list[str]:
    """One line for each listed symbol that differs from what was recorded."""
    lines = []
    for item in PRIVATE:
        try:
            now = observed(item)
        except (ImportError, AttributeError) as err:
            now = f"missing ({err})"
        if now != item.recorded:
            lines.append(
                f"{item.target} ({item.how}) was {item.recorded!r}, is now {now!r}: "
                f"revisit {item.used_in} ({item.reason})"
            )
    return lines


def _patch(target: str, replacement: Callable[[Any], Any]) -> None:
    holder, name = resolve(target)
    original = getattr(holder, name)
    _originals[target] = original
    new = replacement(original)
    if isinstance(inspect.getattr_static(holder, name), staticmethod):
        new = staticmethod(new)
    setattr(holder, name, new)


def install() -> None:
    """Put every replacement listed as ``patched`` in place (once per process; idempotent)."""
    if _originals:
        return
    from bot.rasa_plugins import speedups, turn_failures

    replacements: dict[str, Callable[[Any], Any]] = {
        "rasa.shared.core.events:Event.resolve_by_type": speedups.cached_event_lookup,
        "rasa.core.actions.action:RemoteAction._validate_action_result":
            speedups.prebuilt_reply_validator,
        "rasa.utils.endpoints:EndpointConfig.session": lambda _: speedups.shared_session,
        "rasa.core.actions.action:RemoteAction.run": turn_failures.recording_faults,
        "rasa.core.policies.rule_policy:RulePolicy._get_possible_keys":
            speedups.indexed_rule_keys,
    }
    if set(replacements) != {p.target for p in PRIVATE if p.how == PATCHED}:
        raise RuntimeError("bot.internals: every patched symbol needs one replacement")
    for target, replacement in replacements.items():
        _patch(target, replacement)


def original(target: str) -> Any:
    """Rasa's own version of a listed member, even after :func:`install` replaced it."""
    holder, name = resolve(target)
    return _originals.get(target, getattr(holder, name))


def installed() -> bool:
    """True once :func:`install` has run in this process."""
    return bool(_originals)
