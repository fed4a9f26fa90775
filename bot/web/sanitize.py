"""Cleaning of text that people type, before anything else sees it."""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and isolates can disguise text; other format characters
# (such as the zero-width joiner used in emoji) are kept.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def strip_controls(value: str, keep_newlines: bool = True) -> str:
    """Remove control characters (keeping newlines and tabs if asked), bidi overrides and
    lone surrogates (which JSON allows as ``\\ud800`` but no UTF-8 store can hold)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for ch in value:
        if ch in _BIDI:
            continue
        category = unicodedata.category(ch)
        if category == "Cs" or (category == "Cc" and not (keep_newlines and ch in "\n\t")):
            continue
        kept.append(ch)
    return "".join(kept)


def clean_message(value: str) -> str:
    """A chat message without control characters, runs of spaces or surrounding blanks."""
    value = strip_controls(value)
    value = _SPACES.sub(" ", value.replace("\t", " "))
    return _BLANK_LINES.sub("\n\n", value).strip()


def clean_field(value: str, max_chars: int, multiline: bool = False) -> str:
    """A form field: controls removed, trimmed and cut to ``max_chars``."""
    value = strip_controls(value)
    if not multiline:
        value = " ".join(value.split())
    return value.strip()[:max_chars]
