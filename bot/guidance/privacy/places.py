"""Where someone lives or which setting a child goes to: postcodes (cut to their district),
street addresses, flats and named buildings (``[address]``), and named nurseries, pre-schools,
schools and children's centres (``[setting]``). Towns and districts are kept: they are how the
assistant finds a DSPL area, and too coarse to find a home.
"""

from __future__ import annotations

import re

from bot.guidance.privacy.words import (
    COMMON,
    STOP,
    area_words,
    capitals_say_nothing,
    place_words,
    word_set,
)

ADDRESS = "[address]"
SETTING = "[setting]"

_I = re.IGNORECASE
_POSTCODE_RE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[A-Za-z]{2})(?![A-Za-z0-9])"
)
_STREET = (
    r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|court|ct|"
    r"gardens|place|grove|terrace|walk|hill|rise|mews|green|park|square|row|parade)"
)
_BUILDING = (
    r"(?:house|court|lodge|cottages?|farm|mansions|towers?|heights|apartments|hall|manor|"
    r"barns?|mill|villas|buildings|flats|point|quay|wharf|chambers|close|gardens|mews)"
)
_SETTING = (
    r"(?:day\s+nursery|nursery\s+school|nursery|nurseries|pre-?\s?school|playgroup|"
    r"play\s+group|playschool|kindergarten|montessori|academy|primary(?:\s+school)?|"
    r"infants?(?:\s+school)?|junior\s+school|school|children['’]?s\s+cent(?:re|er)|"
    r"family\s+cent(?:re|er)|childcare|day\s*care|tots|kids\s+club)"
)
_LOW = r"[a-z][a-z'’-]*"
# 12 High Street, 4a bell lane, 21 Rosebay House
_NUMBERED_RE = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?\s+((?:[^\W\d_][\w'’-]*\s+){{1,3}})(?:{_STREET}|{_BUILDING})\b\.?", _I
)
# Flat 2, Rosebay House; apartment 4b; flat 2 rosebay house
_FLAT_RE = re.compile(
    rf"\b(?:flat|apartment|apt|unit)\.?\s*\d{{1,4}}[a-z]?\b"
    rf"(?:,?\s+(?:[^\W\d_][\w'’-]*\s+){{1,3}}?(?:{_BUILDING}|{_STREET})\b)?",
    _I,
)
_CAP = r"(?:[A-Z][^\W_]*(?:['’][sS])?|St\.?|Saint)"
_CAP_RUN = rf"{_CAP}(?:\s+(?:(?:and|&|of|the|on|in)\s+)?{_CAP}){{0,3}}"
# Little Acorns Nursery, St Mary's Pre-School, Rosebay House, Bury Road
_NAMED_RE = re.compile(
    rf"(?<![\w'’])({_CAP_RUN})\s+(?i:({_SETTING})|({_BUILDING})|"
    rf"(road|street|st(?!\.?\s+[A-Z])|avenue|lane|close|drive|crescent|grove|terrace|gardens|"
    rf"mews|way|walk|rise|square|place|row|parade))\b"
)
# goes to little acorns nursery; lives off bury road
_LOWER_SETTING_RE = re.compile(
    rf"\b(?:to|at|attends?|attending|from|joined|started|starts|leaving|left)\s+"
    rf"((?:{_LOW}\s+){{1,3}}?)({_SETTING})\b",
)
_LOWER_STREET_RE = re.compile(
    rf"\b(?:lives?|living|live\s+on|on|off)\s+(?:on\s+|in\s+|at\s+|off\s+)?"
    rf"((?:{_LOW}\s+){{1,2}}?)(road|street|avenue|lane|crescent|terrace|gardens|mews|grove)\b",
)
# Words that describe a setting without naming it ("a private day nursery", "Special School").
_GENERIC = word_set(
    """
    early years special specialist local private council community maintained mainstream
    independent state day nursery nurseries primary infant infants junior secondary reception
    forest village church new old big small little good great nice lovely current previous
    nearest same other another different usual normal full part time morning afternoon
    funded free home county development send sen ey pvi school schools pre
    preschool children childrens family families ordinary baby toddler montessori preschools
    playgroup playgroups settings setting christian catholic faith high main
    """
)


def _generic(word: str) -> bool:
    """True for a word that describes a setting or street rather than naming it."""
    return word in _GENERIC or word in area_words()


# A named setting without its kind: after "at", "from", "goes to" with the town after it
# ("at Busy Bees Stevenage", "from Kids Planet in Hemel"), or after "nursery is" ("nursery is
# Little Learners"). Services and teams are not settings ("from Children's Services in Ware").
_CAPS = rf"{_CAP}(?:\s+{_CAP}){{0,4}}"
_CAPS_AFTER_AT = re.compile(
    rf"\b(?:at|from|to|attends?|attending|joined|started\s+at)\s+(?:the\s+)?({_CAPS})"
    rf"(\s+in\s+{_CAP})?"
)
_CAPS_AFTER_SETTING = re.compile(
    rf"\b(?i:nursery|pre-?\s?school|preschool|playgroup|setting|childminder)"
    rf"(?:\s+(?:is|was|called)\s+|\s*[,:]\s+)({_CAPS})"
)
_ORGANISATIONS = word_set(
    """
    services service team council nhs hospital clinic centre center health local offer send
    sendiass county borough trust office department unit ward surgery practice university
    college church library christmas easter monday tuesday wednesday thursday friday saturday
    sunday january february march april june july august september october november december
    """
)


def _setting_words(run: str) -> tuple[str, str] | None:
    """(the setting's name, the town typed after it) of a capitalised run, or None if the run
    names no setting: a town alone, a service, a day, or one ordinary word."""
    words = run.split()
    places = place_words()
    cut = len(words)
    while cut > 0 and _plain(words[cut - 1]) in places:
        cut -= 1
    name, town = words[:cut], words[cut:]
    plain = [_plain(w) for w in name]
    if not name or any(p in _ORGANISATIONS or p in STOP for p in plain):
        return None
    if all(p in places for p in plain) or len(name) == 1 and plain[0] in COMMON:
        return None
    if not _distinctive(name) and len(name) < 2:
        return None
    return " ".join(name), " ".join(town)


def _unnamed_setting(match: re.Match[str], needs_town: bool) -> str:
    found = _setting_words(match.group(1))
    if found is None:
        return match.group(0)
    name, town = found
    if needs_town and not town and not match.group(2):
        return match.group(0)
    start = match.start(1) - match.start(0)
    return match.group(0)[:start] + SETTING + match.group(0)[start + len(name):]


# 4 The Paddocks, 12 The Maltings
_NUMBERED_THE_RE = re.compile(r"\b\d{1,4}[a-z]?,?\s+The\s+([A-Z][a-z]+)\b")


def _numbered_the(match: re.Match[str]) -> str:
    word = _plain(match.group(1))
    if _generic(word) or word in STOP or word in place_words() or word in _ORGANISATIONS:
        return match.group(0)
    return ADDRESS


def _postcode(match: re.Match[str]) -> str:
    return match.group(1).upper()


def _plain(word: str) -> str:
    return word.lower().replace("’", "'").removesuffix("'s").replace("'", "")


def _distinctive(words: list[str]) -> bool:
    """True if some word names something rather than describing it."""
    plain = [_plain(w) for w in words]
    return any(not _generic(p) and p not in STOP and not w.isupper()
               for w, p in zip(words, plain, strict=True) if p not in {"and", "&", "of"})


def _lead(run: str) -> tuple[str, list[str]]:
    """Split leading function words ("The", "Our", "Does") off a capitalised run."""
    words = run.split()
    cut = 0
    while cut < len(words) and words[cut].lower() in STOP:
        cut += 1
    return " ".join(words[:cut]), words[cut:]


_ENDS_AS_SETTING = re.compile(rf"\s(?:{_SETTING})$", re.IGNORECASE)


def _named(match: re.Match[str], title_case: bool = False) -> str:
    keep, words = _lead(match.group(1))
    if not words or not _distinctive(words):
        return match.group(0)
    if title_case and not match.group(2) and all(_plain(w) in COMMON for w in words):
        return match.group(0)  # "Is This The Right Place": every word has a capital
    marker = SETTING if match.group(2) else ADDRESS
    if match.group(2) and match.group(2).islower() and _ENDS_AS_SETTING.search(
        " " + " ".join(words)
    ):
        marker += " " + match.group(2)  # "Oakwood Primary School nursery class"
    return f"{keep} {marker}" if keep else marker


# Words after a number that make it a count, not a house number ("year 7 school place").
_COUNTED = word_set("school nursery year years class room week weeks month months day days "
                    "hours times sessions words")


def _numbered(match: re.Match[str]) -> str:
    words = [w.lower() for w in match.group(1).split()]
    if any(w in STOP or w in _COUNTED for w in words[words[0] == "the":]):
        return match.group(0)  # "he is 4, he not walk", "11 and need place"
    return ADDRESS


def _lower_setting(match: re.Match[str]) -> str:
    words = match.group(1).split()
    if any(w in STOP for w in words) or not _distinctive(words):
        return match.group(0)
    return match.group(0)[: match.start(1) - match.start(0)] + SETTING


def _lower_street(match: re.Match[str]) -> str:
    words = match.group(1).split()
    if any(w in STOP for w in words) or all(_generic(w) for w in words):
        return match.group(0)
    if all(w in COMMON for w in words) and match.group(2) in {"gardens", "grove"}:
        return match.group(0)  # "on garden grove"? too common to be sure
    return match.group(0)[: match.start(1) - match.start(0)] + ADDRESS


_MERGE = re.compile(r"\[address\](?:,?\s*\[address\])+")


def redact_places(text: str) -> str:
    """Postcodes cut to their district; addresses and named settings replaced by markers."""
    text = _POSTCODE_RE.sub(_postcode, text)
    text = _FLAT_RE.sub(ADDRESS, text)
    text = _NUMBERED_RE.sub(_numbered, text)
    text = _NUMBERED_THE_RE.sub(_numbered_the, text)
    title_case = capitals_say_nothing(text)
    text = _NAMED_RE.sub(lambda m: _named(m, title_case), text)
    text = _LOWER_SETTING_RE.sub(_lower_setting, text)
    if not title_case:
        text = _CAPS_AFTER_AT.sub(lambda m: _unnamed_setting(m, True), text)
        text = _CAPS_AFTER_SETTING.sub(lambda m: _unnamed_setting(m, False), text)
    text = _LOWER_STREET_RE.sub(_lower_street, text)
    return _MERGE.sub(ADDRESS, text)
