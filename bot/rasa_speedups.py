"""Small, behaviour-preserving speed-ups for Rasa 3.6 internals on the per-message path.

Rasa looks up an event's class by walking every subclass of ``Event`` for each
event it reads back from the tracker store (hundreds per turn in a long
conversation). :func:`install` replaces that walk with a dictionary built once,
falling back to Rasa's own lookup for anything the dictionary doesn't know.
It is called when the tracker store is created, once per Rasa process.
"""

from __future__ import annotations

from typing import Any

_installed = False


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

    events.Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
    _installed = True
