"""Phone numbers, found by Google's libphonenumber (the ``phonenumbers`` package, which ships
its own metadata): UK numbers in any layout ("07700 900123", "(01442) 453300",
"0044 7700 900 512", "+44 (0)1442 453300") and international numbers ("+353 87 123 4567").

The library is asked for every possible number (not only those in a range allocated today, so
the Ofcom drama numbers 07700 900xxx count); a match is kept if it has the length of a UK number,
or is dialled with a country code. Short codes (999, 111) and years are too short to match.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

PHONE = "[phone]"
REGION = "GB"
_UK_LENGTHS = range(9, 11)  # national significant number, without the leading 0
_MIN_INTERNATIONAL = 7
_INTERNATIONAL = re.compile(r"^\s*(?:\+|00)")
_DIGIT = re.compile(r"\d")
# Grouped 3-3-4 without a leading 0 or country code: an NHS number, left to its own pattern.
_NHS_SHAPE = re.compile(r"^[1-9]\d{2}[\s-]?\d{3}[\s-]?\d{4}$")


def _is_phone(match: phonenumbers.PhoneNumberMatch) -> bool:
    if _NHS_SHAPE.match(match.raw_string):
        return False
    number = match.number
    national = phonenumbers.national_significant_number(number)
    if _INTERNATIONAL.match(match.raw_string):
        return len(national) >= _MIN_INTERNATIONAL and phonenumbers.is_possible_number(number)
    return number.country_code == 44 and len(national) in _UK_LENGTHS


def redact_phones(text: str) -> str:
    """``text`` with phone numbers replaced by ``[phone]``."""
    if len(_DIGIT.findall(text)) < _UK_LENGTHS.start:
        return text
    out, last = [], 0
    for match in PhoneNumberMatcher(text, REGION, leniency=Leniency.POSSIBLE):
        if _is_phone(match):
            start = match.start
            if match.raw_string.startswith("(") and ")" not in match.raw_string:
                start += 1  # "(07700 900 111)": the library leaves the closing bracket out
            out += [text[last:start], PHONE]
            last = match.end
    return "".join(out) + text[last:] if out else text
