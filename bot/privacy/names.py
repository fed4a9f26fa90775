"""Names: after a self-introduction, a kinship word, "called", a title, a sign-off, or before
"'s mum".

A context is found by a pattern; the words after it are then judged one at a time:

* a word typed with a capital is a name ("my granddaughter Willow", "I'm Blessing") unless it
  describes ("my son Autistic", "I'm Worried") or says where someone is from ("I'm Polish"),
  or the whole message is typed In Title Case Or In Capitals, when the lower-case rules apply;
* a word typed in lower case is a name if it is no English word ("im perpetua", "my
  daughter wilhelmina") or a given name that is seldom anything else ("my son jack"), and,
  after "called" and "my name is", any given name ("she's called may");
* function words ("a", "not", "so"), acronyms ("SENCo", "ASD") and numbers never are.

A second capitalised name (a surname) and "X and Y" (twins) are taken with the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from bot.privacy.words import (
    COMMON,
    DESCRIBING,
    GIVEN,
    GIVEN_ANY_CASE,
    GIVEN_LOWER,
    NOT_NAMES,
    STOP,
    capitals_say_nothing,
)

NAME = "[name]"
_APOS = "['’]"

# One word as typed: letters, inner hyphens and apostrophes ("Amy-Leigh", "O'Neill").
_WORD = re.compile(rf"[^\W\d_]+(?:[-{_APOS[1:-1]}][^\W\d_]+)*")
_POSSESSIVE = re.compile(rf"{_APOS}s$", re.IGNORECASE)

_CHILD = (
    r"(?:son|daughter|boy|girl|lad|little\s+one|little\s+man|little\s+lady|grandson|"
    r"granddaughter|grandaughter|grandchild|child|baby|toddler|nephew|niece|twins?|kids?|"
    r"children|stepson|stepdaughter|mindee|foster\s+(?:son|daughter|child)|youngest|eldest|"
    r"oldest|middle\s+one|"
    r"(?:\d{1,2}|one|two|three|four|five)[\s-]*(?:year|yr)s?[\s-]*old|\d{1,2}\s?yo)\b"
)
_ADJ = (
    r"(?:little|youngest|eldest|oldest|middle|younger|older|baby|twin|step|adopted|only|"
    r"first|second|third|gorgeous|beautiful|lovely)"
)
_I = re.IGNORECASE
_CAPITAL = r"(?-i:(?=[A-Z]))"


class Context(NamedTuple):
    """Where a name may follow. ``strong``: a lower-case given name counts too ("called
    grace"); ``start``: the name opens a sentence, so a capital proves nothing ("Reception
    teacher here") and the word must be no ordinary word, or a given name."""

    pattern: re.Pattern[str]
    strong: bool = False
    start: bool = False


_CONTEXTS = [
    Context(re.compile(rf"(?<![\w'’])(?:i\s?{_APOS}?m|i\s+am|this\s+is|call\s+me)\s+", _I)),
    Context(re.compile(rf"\b(?:my|our|his|her|their)\s+(?:{_ADJ}\s+)?{_CHILD}(?:\s*,|\s*\()?\s*",
                       _I)),
    Context(
        re.compile(
            rf"\b(?:(?:his|her|their|my|our|{_CHILD}{_APOS}s)\s+name(?:\s+is|{_APOS}s)|"
            rf"name{_APOS}s|(?:i\s?{_APOS}?m|i\s+am|(?:he|she|they)(?:\s+is|\s+are|{_APOS}s)?|"
            rf"{_CHILD}(?:\s+is|\s+was|{_APOS}s)?|one)\s+(?:called|named|known\s+as)|"
            rf"we\s+call\s+(?:him|her|them))\s+",
            _I,
        ),
        strong=True,
    ),
    Context(re.compile(r"\b(?:Mrs|Mr|Ms|Miss|Mx|Dr)\.?\s+(?=[A-Z])"), strong=True),
    Context(
        re.compile(r"^(?:(?:hi|hello|hiya|hey|morning|good\s+morning)[,!]?\s+)?"
                   r"(?=\S+(?:\s+\S+)?\s+here\b)", _I),
        start=True,
    ),
]
_MAX_NAMES = 4  # "Alfie, Archie and Isla Smith" at most: the work per context stays bounded
# "Thanks, Imogen": a name after a thank-you, either closing the message or no ordinary word.
_SIGN_OFF = re.compile(
    rf"\b(?:thanks|thank\s+you|regards|wishes|cheers|love)\b(?:[^.!?\n]{{0,40}}?[,\s])?"
    rf"\s*{_CAPITAL}",
    _I,
)
_SIGN_OFF_END = re.compile(r"\s*(?:x+)?\s*[.!]*\s*$", _I)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")
_RELATION = re.compile(
    rf"(?<![\w'’-])([^\W\d_]+(?:-[^\W\d_]+)*){_APOS}s\s+(?=(?:mum|mom|mummy|mam|dad|daddy|"
    r"nan|nana|nanny|gran|granny|grandma|grandad|grandpa|grandmother|grandfather|aunt|"
    r"auntie|aunty|uncle|carer|childminder|key\s*worker|key\s+person|sister|brother|"
    r"step-?mum|step-?dad|mother|father|parents?)\b)",
    _I,
)
_JOIN = re.compile(r"\s+(?:and|&)\s+|\s*&\s*")
_SPACE = re.compile(r"[ \t]+")


def is_name(word: str, strong: bool = False, shouting: bool = False, start: bool = False) -> bool:
    """Whether one typed word, where a name could go, is a name (see the module's rules)."""
    core = _POSSESSIVE.sub("", word)
    low = core.lower().replace("’", "").replace("'", "")
    if len(core) < 2 or low in STOP or low in NOT_NAMES:
        return False
    parts = low.split("-")
    common = all(p in COMMON for p in parts)
    if core[0].isupper() and not shouting:
        if core.isupper() or any(c.isupper() for c in core[1:]) and common:
            return False  # an acronym ("ASD", "SENCo")
        if start:
            return not common or core in GIVEN
        return low not in DESCRIBING or core in GIVEN
    if strong:
        return not common or low in GIVEN_ANY_CASE
    return not common or low in GIVEN_LOWER


def _names_at(
    text: str, pos: int, strong: bool, shouting: bool, start: bool = False
) -> list[tuple[int, int]]:
    """The spans of the name(s) starting at ``pos`` (none if the word there is not a name)."""
    first = _WORD.match(text, pos)
    if not first or not is_name(first.group(), strong, shouting, start):
        return []
    spans = [(pos, _name_end(first))]
    cursor = spans[-1][1]
    lower = shouting or not first.group()[0].isupper()
    for _ in range(_MAX_NAMES - 1):
        # a surname ("Sarah Smith"), or another name ("Alfie and Archie")
        space = _SPACE.match(text, cursor)
        join = _JOIN.match(text, cursor)
        gap = join or space
        if not gap:
            break
        nxt = _WORD.match(text, gap.end())
        if not nxt or not _continues(nxt.group(), bool(join), strong, shouting, lower):
            break
        cursor = _name_end(nxt)
        if join:
            spans.append((nxt.start(), cursor))
        else:
            spans[-1] = (spans[-1][0], cursor)
    return spans


def _continues(word: str, joined: bool, strong: bool, shouting: bool, lower: bool) -> bool:
    """Whether the next word is a surname or, after "and", another name."""
    if word[:1].isupper() and not shouting:
        return is_name(word, strong and not joined, shouting)
    return lower and not joined and is_name(word, strong, shouting)


def _name_end(match: re.Match[str]) -> int:
    possessive = _POSSESSIVE.search(match.group())
    return match.end() - (len(possessive.group()) if possessive else 0)


def name_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` that are names, in any order, possibly overlapping."""
    shouting = capitals_say_nothing(text)
    for context in _CONTEXTS:
        for match in context.pattern.finditer(text):
            yield from _names_at(text, match.end(), context.strong, shouting, context.start)
    for match in _SIGN_OFF.finditer(text):
        spans = _names_at(text, match.end(), False, shouting)
        if spans and (_SIGN_OFF_END.fullmatch(text, spans[-1][1])
                      or _names_at(text, match.end(), False, shouting, start=True)):
            yield from spans
    for match in _RELATION.finditer(text):
        start = bool(_SENTENCE_START.search(text, 0, match.start(1)))
        if is_name(match.group(1), False, shouting, start):
            yield match.start(1), match.end(1)


def redact_names(text: str) -> str:
    """``text`` with every name found replaced by ``[name]``."""
    spans = sorted(name_spans(text))
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        if start < last:
            start = last
        if start >= end:
            continue
        out.append(text[last:start])
        out.append(NAME)
        last = end
    out.append(text[last:])
    return "".join(out)
