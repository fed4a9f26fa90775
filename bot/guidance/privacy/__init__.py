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

from bot.guidance.privacy.dates import DATE, redact_dates
from bot.guidance.privacy.names import NAME, redact_names
from bot.guidance.privacy.phones import PHONE, redact_phones
from bot.guidance.privacy.places import ADDRESS, SETTING, redact_places
from bot.guidance.privacy.spelled import redact_spelled_emails, redact_spelled_phones

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


_ZWJ = "\u200d"


def _invisible(text: str, i: int) -> bool:
    """A format character to drop; a zero-width joiner inside an emoji (👨‍👩‍👧) is kept."""
    if unicodedata.category(text[i]) != "Cf":
        return False
    if text[i] != _ZWJ or not 0 < i < len(text) - 1:
        return True
    return not (_emoji(text[i - 1]) and _emoji(text[i + 1]))


def _emoji(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk") or "\U0001f3fb" <= ch <= "\U0001f3ff"


def _line_breaks(match: re.Match[str]) -> str:
    return "\n\n" if match.group().count("\n") > 1 else "\n"


def normalise(text: str) -> str:
    """NFKC (full-width digits become digits), no invisible format characters (but the joiner
    inside an emoji), single spaces.

    Zero-width spaces and joiners would otherwise split a phone number so that no pattern
    sees it; runs of spaces (non-breaking ones included) become one space, runs of blank
    lines one blank line.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for i, ch in enumerate(text) if not _invisible(text, i))
    return _LINES.sub(_line_breaks, _SPACES.sub(" ", text)).strip()


def redact(text: str) -> str:
    """The text with personal details replaced by markers such as ``[phone]`` and ``[name]``."""
    if not text:
        return ""
    text = normalise(text)
    text = _EMAIL_RE.sub(EMAIL, text) if "@" in text else text
    text = redact_spelled_emails(text)  # "jo dot smith at example dot com"
    text = redact_dates(text)  # before phones: "14 03 2022" is a date, not a number
    text = redact_phones(text)
    text = redact_spelled_phones(text)  # "07700 900 five one nine", "07700•900•590"
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
