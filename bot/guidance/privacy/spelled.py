"""Phone numbers and e-mail addresses typed so that no ordinary pattern sees them: digits as
words or with a letter O for a zero ("07700 900 five one nine", "07700 9OO 842"), groups
joined by other characters or words ("07700•900•590", "07700_900_458", "07700 then 900 then
263", "07700 900 (sorry) 604"), and addresses spelled out ("hannah dot reeves at example dot
com", "kate.m [at] example.org").

A run of digit groups is a phone number when its digits, read together, have the length of a
UK number and start as one does (0, 44 or +44). Every pattern is linear: a run is read token
by token, once.
"""

from __future__ import annotations

import re

PHONE = "[phone]"
EMAIL = "[email]"

_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}
# A token of a run: a group of digits (a letter O among them read as 0), a digit word, or
# something that may stand between two groups (punctuation, "then", "(sorry)").
_TOKEN = re.compile(
    r"(?P<digits>(?<![0-9A-Za-z+])\+?(?=[Oo]{0,11}[0-9])[0-9Oo]{1,11}(?![0-9A-Za-z]))"
    r"|(?P<word>\b(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine)\b)"
    r"|(?P<filler>[\s•·_/.\-–—,]+|\b(?:then|and|sorry|um|erm|er|dash|space)\b"
    r"|\((?:sorry|then|and)\)|\((?=\d)|(?<=\d)\))",
    re.IGNORECASE,
)
_MAX_FILLERS = 3  # between two groups: "900 (sorry) 604" is a space, a word and a space
_UK_DIGITS = range(10, 12)
_INTERNATIONAL_DIGITS = range(11, 14)


def _number(digits: str) -> bool:
    """Whether the digits of a run are a UK phone number (national or with 44)."""
    if digits.startswith("+44") or digits.startswith("0044"):
        rest = digits.removeprefix("+44").removeprefix("0044").removeprefix("0")
        return len(rest) in (9, 10)
    if digits.startswith("44"):
        return len(digits) in _INTERNATIONAL_DIGITS
    return digits.startswith("0") and len(digits) in _UK_DIGITS


def _runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of every run of digit groups, read left to right once."""
    runs: list[tuple[int, int, str]] = []
    start = end = -1
    digits, fillers = "", 0
    for match in _TOKEN.finditer(text):
        if end >= 0 and match.start() != end:  # something else came between: the run ends
            runs.append((start, end, digits))
            start, end, digits, fillers = -1, -1, "", 0
        kind = match.lastgroup
        if kind == "filler":
            if end >= 0:
                fillers += 1
                if fillers > _MAX_FILLERS:
                    runs.append((start, end, digits))
                    start, end, digits, fillers = -1, -1, "", 0
                else:
                    end = match.end()
            continue
        value = match.group()
        value = _DIGIT_WORDS[value.lower()] if kind == "word" else value.replace(
            "O", "0").replace("o", "0")
        if end < 0:
            start = match.start()
        digits += value
        end, fillers = match.end(), 0
    if end >= 0:
        runs.append((start, end, digits))
    return runs


_TRAILING = re.compile(r"[\s•·_/.\-–—,(]+$|\s+(?:then|and|sorry|um|erm|er|dash|space)$", re.I)


def redact_spelled_phones(text: str) -> str:
    """``text`` with phone numbers typed in words or odd layouts replaced by ``[phone]``."""
    if not any(c.isdigit() for c in text):
        return text
    out, last = [], 0
    for start, end, digits in _runs(text):
        if not _number(digits):
            continue
        piece = text[start:end]
        while (trail := _TRAILING.search(piece)) is not None and trail.start() > 0:
            piece = piece[: trail.start()]  # the words or commas after the last group stay
        out += [text[last:start], PHONE]
        last = start + len(piece)
    return "".join(out) + text[last:] if out else text


_PART = r"[A-Za-z0-9_+'-]{1,64}"
_DOT = r"(?:\s*\.\s*|\s+dot\s+|\s*\[dot\]\s*|\s*\(dot\)\s*)"
_AT = r"(?:\s*\[at\]\s*|\s*\(at\)\s*|\s+at\s+)"
_TLD = r"(?:com|org|net|uk|co|gov|nhs|ac|sch|edu|io|me|info|biz|eu|ie|pl|ro|de|fr)"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.]){_PART}(?:{_DOT}{_PART}){{0,4}}{_AT}{_PART}(?:{_DOT}{_PART}){{0,3}}"
    rf"{_DOT}{_TLD}\b",
    re.IGNORECASE,
)


def redact_spelled_emails(text: str) -> str:
    """``text`` with e-mail addresses spelled out ("jo dot smith at example dot com") replaced
    by ``[email]``."""
    if " at " not in text.lower() and "[at]" not in text.lower() and "(at)" not in text.lower():
        return text
    return _SPELLED_EMAIL.sub(EMAIL, text)
