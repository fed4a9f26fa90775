"""Removing personal details from free text before it is stored or logged.

``redact(text)`` is pure: no I/O, no state (its word lists are read once, at import). It
normalises the text first (NFKC, so full-width digits are digits; no zero-width or other
invisible format characters; single spaces), then removes e-mail addresses, dates (so dates
of birth too, in every common form), phone numbers (UK and international, found by
``phonenumbers``), NHS-style 10-digit numbers, street addresses, flats and named buildings,
named settings ("Little Acorns Nursery" becomes ``[setting]``) and names given after "I'm",
"my daughter", "called", "Mrs" and the like. Full UK postcodes keep only their district ("SG1
2AB" becomes "SG1"), which is enough to find a DSPL area and too coarse to find a home. Ages,
towns, concerns and the service's own words are kept. How well it does is measured on a
labelled corpus (``tests/data/pii_corpus.yml``, ``docs/privacy.md``).
"""

from __future__ import annotations

import re
import unicodedata

from bot.privacy.dates import DATE, redact_dates
from bot.privacy.names import NAME, redact_names
from bot.privacy.phones import PHONE, redact_phones
from bot.privacy.places import ADDRESS, SETTING, redact_places

__all__ = [
    "ADDRESS", "DATE", "EMAIL", "NAME", "NUMBER", "PHONE", "SETTING",
    "normalise", "redact", "redact_limited",
]

EMAIL = "[email]"
NUMBER = "[number]"

# Every pattern runs in linear time: no two adjacent quantifiers can match the same
# characters (a single \s* before an optional word, never \s*(?:word)?\s*), repeats of words
# are bounded, and a match can only start where the previous character could not have
# started it.
_EMAIL_RE = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_NHS_RE = re.compile(r"(?<!\d)[1-9]\d{2}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")

_SPACES = re.compile(r"[^\S\n]+")
_LINES = re.compile(r"\s*\n\s*")
# What a cut keeps beyond the allowed length, so a detail split by the cut is still whole
# when it is redacted (the longest pattern, an e-mail address, is rarely longer).
_CUT_MARGIN = 64


def normalise(text: str) -> str:
    """NFKC (full-width digits become digits), no invisible format characters, single spaces.

    Zero-width spaces and joiners would otherwise split a phone number so that no pattern
    sees it; runs of spaces (non-breaking ones included) become one space, runs of blank
    lines one line break.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return _LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def redact(text: str) -> str:
    """The text with personal details replaced by markers such as ``[phone]`` and ``[name]``."""
    if not text:
        return ""
    text = normalise(text)
    text = _EMAIL_RE.sub(EMAIL, text) if "@" in text else text
    text = redact_dates(text)  # before phones: "14 03 2022" is a date, not a number
    text = redact_phones(text)
    text = _NHS_RE.sub(NUMBER, text)
    text = redact_places(text)
    return redact_names(text)


def redact_limited(text: str, max_chars: int) -> str:
    """Cut to ``max_chars``, redact, and collapse whitespace (for short stored comments).

    The text is cut before it is redacted, so the work done never depends on how much
    was sent.
    """
    cut = normalise((text or "")[: (max_chars + _CUT_MARGIN) * 2])[: max_chars + _CUT_MARGIN]
    cleaned = re.sub(r"\s+", " ", redact(cut)).strip()
    return cleaned[:max_chars].rstrip()
