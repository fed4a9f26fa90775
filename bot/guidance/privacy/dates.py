"""Dates in every common form ("14/03/2022", "2022/03/14", "14 03 2022", "14-Mar-2022",
"March 14th", "the 14th of March"), and after a birth word ("born in March 2022", "DOB 140322").

A month and year alone ("since September 2024") and a year alone ("born in 2022", which says no
more than an age) are kept unless a birth word comes just before.
"""

from __future__ import annotations

import re

DATE = "[date]"

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL_WORDS = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"thirtieth|(?:twenty|thirty)[\s-](?:first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth))"
)
_DAY = rf"(?:(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?|{_ORDINAL_WORDS})"
_YEAR = r"(?:19|20)\d{2}"
_SEP = r"[\s/.-]+"
_BIRTH = r"(?:born|birth|dob|d\.o\.b\.?|birthday|bday|b'day)"

_I = re.IGNORECASE
# The end of a date in figures: no more figures, but a full stop may end the sentence.
_END = r"(?![\d/-]|\.\d)"
_DM = r"(?:[0-2]?[1-9]|[123]0|31)/(?:0?[1-9]|1[0-2])"
_DM_ZERO = r"(?:0[1-9]|[12]\d|3[01])/0[1-9]|0[1-9]/(?:0?[1-9]|1[0-2])"
_DATE_WORD = "(?:" + "|".join(f"(?<=\\b{w} )" for w in ("on", "by", "from", "until", "till",
                                                          "after", "before")) + ")"
_PATTERNS = [
    re.compile(rf"(?<![\d/.-])\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}{_END}"),  # 2022/03/14
    re.compile(rf"(?<![\d/.-])\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}{_END}"),  # 14/03/2022
    # 23/07, 5/06: a day and month with a zero in front, or after "on", "from", "until"
    re.compile(rf"(?<![\d/.-])(?:{_DM_ZERO}|{_DATE_WORD}{_DM}){_END}", _I),
    re.compile(rf"(?<![\d/.:-])\d{{1,2}} \d{{1,2}} {_YEAR}(?![\d/.:-])"),  # 14 03 2022
    re.compile(  # 14 March 2022, 14-Mar-22, the 14th of March
        rf"\b{_DAY}(?:{_SEP}|\s+of\s+){_MONTH}\b(?:(?:,\s*|{_SEP})(?:{_YEAR}|'?\d{{2}})\b|\.)?",
        _I,
    ),
    re.compile(  # March 14th, 2022; March the 14th
        rf"\b{_MONTH}\.?(?:{_SEP}|\s+the\s+){_DAY}\b(?:,?\s+{_YEAR}\b)?", _I
    ),
]
# After a birth word (and at most three words): month and year, a day and month in figures,
# the digits run together, or a day alone.
_AFTER_BIRTH = re.compile(
    rf"(\b{_BIRTH}\b[:\s-]*(?:(?:is|was|on|in|the|of|at|end|start|beginning|middle|date)"
    rf"[:\s,-]+){{0,4}})"
    rf"({_MONTH}\.?[\s,/-]+(?:{_YEAR}|'?\d{{2}})\b"
    r"|\d{1,2}[/.\s-]\d{1,2}(?:[/.\s-]\d{2,4})?(?![\d/-]|\.\d)"
    r"|\d{6}(?:\d{2})?(?!\d)"
    r"|(?:the\s+)?(?:[0-2]?\d|3[01])(?:st|nd|rd|th)\b)",
    _I,
)
# "may" is also a verb: "she may 3" is not a date; require a year or a capital M for it.
_BARE_MAY = re.compile(r"\bmay\b")
_HAS_YEAR = re.compile(r"\d{4}|'\d{2}")


def _date(match: re.Match[str]) -> str:
    text = match.group(0)
    if _BARE_MAY.search(text) and not _HAS_YEAR.search(text):
        return text
    return DATE


def redact_dates(text: str) -> str:
    """``text`` with dates replaced by ``[date]``."""
    for pattern in _PATTERNS:
        text = pattern.sub(_date, text)
    return _AFTER_BIRTH.sub(lambda m: m.group(1) + DATE, text)
