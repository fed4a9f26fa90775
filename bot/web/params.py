"""Query-string and form parameters: the one validated way every route reads them.

A parameter is declared once (``OFFSET = Number("offset", high=10_000)``) and read with
``OFFSET.read(request.args)``. Values are text with control characters, bidi overrides and
lone surrogates removed, cut to a length; numbers are ASCII digits only, at most six, within
their bounds (so "²", "٣" and 5,000 nines are refused, not passed to ``int``); a choice is one
of its options. Anything else gives the default, never an exception. Every declared name is
in ``DECLARED``, which the fuzz test sends to every route.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.web.sanitize import strip_controls

DECLARED: dict[str, Param] = {}
MAX_VALUES = 20  # a checkbox list longer than any form has is cut here
_DIGITS = re.compile(r"[0-9]{1,6}")


def raw_values(source: Mapping[str, Any] | None, name: str) -> list[str]:
    """Every value sent for ``name`` (query, form or a plain dict), as clean text."""
    if source is None:
        return []
    getlist = getattr(source, "getlist", None)
    found: Any = getlist(name) if callable(getlist) else source.get(name)
    if found is None:
        return []
    items = found if isinstance(found, list | tuple) else [found]
    return [strip_controls(v) for v in items[:MAX_VALUES] if isinstance(v, str)]


@dataclass(frozen=True)
class Param:
    """A text parameter, cut to ``max_chars``."""

    name: str
    max_chars: int = 200
    multiline: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        DECLARED.setdefault(self.name, self)

    def values(self, source: Mapping[str, Any] | None) -> list[str]:
        """Every value sent, cleaned and cut."""
        out = raw_values(source, self.name)
        if not self.multiline:
            out = [" ".join(v.split()) for v in out]
        return [v[: self.max_chars] for v in out]

    def sent(self, source: Mapping[str, Any] | None) -> bool:
        """True if the parameter was sent at all (even empty)."""
        return bool(raw_values(source, self.name)) or (
            source is not None and self.name in source
        )

    def read(self, source: Mapping[str, Any] | None, default: str = "") -> str:
        """The first value, or ``default``."""
        values = self.values(source)
        return values[0] if values else default


@dataclass(frozen=True, kw_only=True)
class Number(Param):
    """A whole number from ``low`` to ``high`` written in ASCII digits."""

    low: int = 0
    high: int = 10_000
    max_chars: int = 12

    def number(self, source: Mapping[str, Any] | None, default: int | None = None) -> int | None:
        """The number sent, or ``default`` if it is missing, not digits, or out of bounds."""
        text = self.read(source).strip()
        if not _DIGITS.fullmatch(text):
            return default
        value = int(text)
        return value if self.low <= value <= self.high else default


@dataclass(frozen=True, kw_only=True)
class Choice(Param):
    """One of a fixed set of values (or several, for checkboxes)."""

    options: tuple[str, ...] = ()
    max_chars: int = 100

    def choice(self, source: Mapping[str, Any] | None, default: str = "") -> str:
        """The first value if it is an option, else ``default``."""
        value = self.read(source)
        return value if value in self.options else default

    def choices(self, source: Mapping[str, Any] | None, allowed: Iterable[str] = ()) -> list[str]:
        """Every value that is an option (or in ``allowed``), once each, in the order sent."""
        ok = set(self.options) | set(allowed)
        return [v for v in dict.fromkeys(self.values(source)) if v in ok]
