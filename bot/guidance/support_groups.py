"""Choosing support groups for a family: by DSPL area and by need, a few at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.guidance.content.schema import Content, SupportGroup
from bot.guidance.parsing import normalise

PAGE_SIZE = 3
GENERAL_NEED = "general"


def needs_in_text(text: str, content: Content) -> list[str]:
    """Need tags whose keywords appear in the text (e.g. 'autism', 'hearing')."""
    text = normalise(text)
    found = [
        tag
        for tag, words in content.need_keywords.items()
        if any(re.search(r"\b" + re.escape(word.lower()), text) for word in words)
    ]
    specific = [tag for tag in found if tag != GENERAL_NEED]
    return specific or found


def _rank(group: SupportGroup, area: int | None, needs: list[str]) -> tuple[int, int] | None:
    """Sort key (lower first), or None when the group does not fit."""
    if area is not None and group.areas is not None and area not in group.areas:
        return None
    need_match = bool(set(needs) & set(group.needs))
    if needs and not need_match and "any" not in group.needs:
        return None
    local = 0 if (area is not None and group.areas is not None) else 1
    return (0 if need_match else 1, local)


def matching_groups(content: Content, area: int | None, needs: list[str]) -> list[SupportGroup]:
    """Groups that fit the area and needs: specific needs first, then local, then general."""
    ranked = [
        (key, index, group)
        for index, group in enumerate(content.support_groups)
        if (key := _rank(group, area, needs)) is not None
    ]
    return [group for _, _, group in sorted(ranked, key=lambda item: (item[0], item[1]))]


@dataclass
class Page:
    """One page of groups and whether more are left."""

    groups: list[SupportGroup]
    offset: int
    total: int

    @property
    def has_more(self) -> bool:
        """True when another page follows."""
        return self.offset + len(self.groups) < self.total


def page_of(groups: list[SupportGroup], offset: int, size: int = PAGE_SIZE) -> Page:
    """The groups from ``offset``, at most ``size`` of them."""
    offset = max(0, min(offset, len(groups)))
    return Page(groups[offset : offset + size], offset, len(groups))
