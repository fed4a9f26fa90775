"""Removing personal details from free text before it is stored or logged.

``redact(text)`` is pure: no I/O, no state. It removes e-mail addresses, UK phone numbers,
NHS-style 10-digit numbers, house-number street addresses, dates (so dates of birth too) and
names given after "my son is called ...", "her name is ..." and the like. Full UK postcodes
keep only their district ("SG1 2AB" becomes "SG1"), which is enough to find a DSPL area and
too coarse to find a home. It is deliberately cautious: a word it is unsure of is kept.
"""

from __future__ import annotations

import re
import unicodedata

EMAIL = "[email]"
PHONE = "[phone]"
DATE = "[date]"
NAME = "[name]"
ADDRESS = "[address]"
NUMBER = "[number]"

# Every pattern runs in linear time: no two adjacent quantifiers can match the same
# characters (a single \s* before an optional word, never \s*(?:word)?\s*), and a
# match can only start where the previous character could not have started it.
_EMAIL_RE = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_POSTCODE_RE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[A-Za-z]{2})(?![A-Za-z0-9])"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_DATE_RES = [
    re.compile(r"(?<![\d/.-])\d{4}-\d{1,2}-\d{1,2}(?![\d/.-])"),  # 2021-05-03
    re.compile(r"(?<![\d/.-])\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?![\d/.-])"),  # 03/05/2021
    re.compile(  # 3 May 2021, 3rd of May, 3 May '21
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+(?:{_YEAR}|'\d{{2}})\b)?", re.IGNORECASE
    ),
    re.compile(rf"\b{_MONTH}\.?\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?", re.IGNORECASE),  # May 3, 2021
    re.compile(rf"\b(?:date of birth|d\.?o\.?b\.?)\s*(?:(?:is|:|-)\s*)?{_MONTH}\s+{_YEAR}\b", re.I),
]
# "may" is also a verb: "she may 3" is not a date; require a year or a capital M for it.
_BARE_MAY = re.compile(r"\bmay\b")
_HAS_YEAR = re.compile(r"\d{4}|'\d{2}")

_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s().-]{7,14}\d(?!\d)"
)
_NHS_RE = re.compile(r"(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")
_STREET = (
    r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|court|ct|"
    r"gardens|place|grove|terrace|walk|hill|rise|mews|green|park|square)"
)
_ADDRESS_RE = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?\s+(?:[A-Za-z'-]+\s+){{1,3}}{_STREET}\b\.?", re.IGNORECASE
)
_CHILD = (
    r"(?:son|daughter|child|boy|girl|baby|toddler|little one|grandson|granddaughter|"
    r"twins?|kid|niece|nephew|foster (?:son|daughter|child))"
)
_NAME_INTRO_RE = re.compile(
    rf"(\b(?:my|our|the)\s+(?:\w+\s+)?{_CHILD}(?:'s name)?\s*(?:(?:is|,)\s*)?"
    r"(?:called|named|is called|is named|name is|'s called)\s+|"
    r"\b(?:his|her|their|my|our)\s+name\s+is\s+|\b(?:his|her|their|my|our)\s+name's\s+|"
    r"\bwe\s+call\s+(?:him|her|them)\s+|\b(?:he|she|they)\s+(?:is|are|'s)\s+called\s+|"
    r"\bi'?m\s+called\s+|\bi\s+am\s+called\s+|\bmy\s+name\s+is\s+)"
    r"([A-Za-z][A-Za-z'-]*)((?-i:\s+[A-Z][A-Za-z'-]*))?",
    re.IGNORECASE,
)
_NOT_NAMES = {"not", "a", "an", "the", "very", "really", "so", "just", "quite", "only"}


def _postcode(match: re.Match[str]) -> str:
    return match.group(1).upper()


def _date(match: re.Match[str]) -> str:
    text = match.group(0)
    if _BARE_MAY.search(text) and not _HAS_YEAR.search(text):
        return text
    return DATE


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if digits.startswith("44"):
        digits = "0" + digits[2:].lstrip("0")
    return PHONE if 10 <= len(digits) <= 11 else match.group(0)


def _name(match: re.Match[str]) -> str:
    intro, first = match.group(1), match.group(2)
    if first.lower() in _NOT_NAMES:
        return match.group(0)
    return f"{intro}{NAME}"


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
    text = _POSTCODE_RE.sub(_postcode, text)
    for pattern in _DATE_RES:
        text = pattern.sub(_date, text)
    text = _PHONE_RE.sub(_phone, text)
    text = _NHS_RE.sub(NUMBER, text)
    text = _ADDRESS_RE.sub(ADDRESS, text)
    return _NAME_INTRO_RE.sub(_name, text)


def redact_limited(text: str, max_chars: int) -> str:
    """Cut to ``max_chars``, redact, and collapse whitespace (for short stored comments).

    The text is cut before it is redacted, so the work done never depends on how much
    was sent.
    """
    cut = normalise((text or "")[: (max_chars + _CUT_MARGIN) * 2])[: max_chars + _CUT_MARGIN]
    cleaned = re.sub(r"\s+", " ", redact(cut)).strip()
    return cleaned[:max_chars].rstrip()
