"""The scripted conversations in ``bench/messages.yml``."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, cycle, islice
from pathlib import Path

import yaml

from bench.paths import MESSAGES_FILE


class ScriptError(ValueError):
    """The messages file is missing something or has a conversation of the wrong length."""


@dataclass(frozen=True)
class Conversation:
    """One scripted conversation: a name and the messages a user types, in order."""

    name: str
    turns: tuple[str, ...]


def load_conversations(path: Path = MESSAGES_FILE) -> list[Conversation]:
    """Read and check the conversations (each exactly ``turns_per_conversation`` long)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    length = data.get("turns_per_conversation")
    items = data.get("conversations")
    if not isinstance(length, int) or length < 1 or not isinstance(items, list) or not items:
        raise ScriptError(f"{path}: needs turns_per_conversation and a list of conversations")
    found = []
    for item in items:
        name = str(item.get("name", "")).strip()
        turns = item.get("turns")
        if not name or not isinstance(turns, list):
            raise ScriptError(f"{path}: every conversation needs a name and a list of turns")
        if not all(isinstance(t, str) for t in turns):  # YAML reads a bare yes/no as a boolean
            raise ScriptError(f"{path}: '{name}' has a turn that is not text (quote yes and no)")
        texts = tuple(t.strip() for t in turns)
        if len(texts) != length or not all(texts):
            raise ScriptError(f"{path}: '{name}' must have {length} non-empty turns")
        found.append(Conversation(name, texts))
    return found


def load_long_block(path: Path = MESSAGES_FILE) -> list[str]:
    """The block of messages the long conversation repeats ([] if the file has none)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    block = data.get("long_block") or []
    if not isinstance(block, list) or not all(str(t).strip() for t in block):
        raise ScriptError(f"{path}: long_block must be a list of non-empty messages")
    return [str(t).strip() for t in block]


def long_conversation(
    conversations: list[Conversation], turns: int, block: list[str] | None = None
) -> list[str]:
    """``turns`` messages for one long conversation: the block (or else the scripts), repeated."""
    source = block or list(chain.from_iterable(c.turns for c in conversations))
    return list(islice(cycle(source), turns))
