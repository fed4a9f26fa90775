"""Grouping similar messages (no downloaded models): word overlap and difflib."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

_WORD = re.compile(r"[a-z0-9']+")
_STOP = {
    "a", "an", "the", "i", "my", "me", "is", "are", "to", "of", "and", "or", "in", "on", "for",
    "do", "does", "can", "you", "it", "be", "with", "what", "how", "please", "hi", "hello",
}


def words(text: str) -> set[str]:
    """Content words of a message, lower-cased."""
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def similarity(a: str, b: str) -> float:
    """0 to 1: the larger of word-set overlap (Jaccard) and character similarity."""
    wa, wb = words(a), words(b)
    jaccard = len(wa & wb) / len(wa | wb) if wa | wb else 1.0
    chars = difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()
    return max(jaccard, chars)


@dataclass
class Group:
    """Messages that look alike; the first one names the group."""

    label: str
    members: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many messages are in the group."""
        return len(self.members)


def group_similar(texts: list[str], threshold: float = 0.5, limit: int = 500) -> list[Group]:
    """Greedy grouping: each text joins the first group it is similar enough to.

    Largest groups first. At most ``limit`` texts are grouped, to keep it fast.
    """
    groups: list[Group] = []
    for text in texts[:limit]:
        for group in groups:
            if similarity(text, group.label) >= threshold:
                group.members.append(text)
                break
        else:
            groups.append(Group(text, [text]))
    return sorted(groups, key=lambda g: -g.count)
