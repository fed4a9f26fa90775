"""Names: after a context (``bot.guidance.privacy.name_contexts``: a self-introduction, a kinship
word,
"called", a title, a role, a sign-off), before "'s mum", "is our youngest" or a phone number,
and wherever a name found is typed again.

A context is found by a pattern; the words after it are then judged one at a time:

* a word typed with a capital is a name ("my granddaughter Willow", "I'm Blessing") unless it
  describes ("my son Autistic", "I'm Worried"), says where someone is from ("I'm Polish"), is
  a kinship word or a day, or is a town the content knows; or the whole message is typed In
  Title Case Or In Capitals, when the lower-case rules apply;
* a word typed in lower case is a name if it is no English word ("im perpetua", "my
  daughter wilhelmina"), a given name that is seldom anything else ("my son jack"), a given
  name that ends a clause ("my son is mason, hes 2") or, after "called" and "my name is",
  any given name ("she's called may"); after the surest contexts, any word that ends a clause
  and does not describe ("hi im jade my son", "we call her bee)");
* function words ("a", "not", "so"), acronyms ("SENCo", "ASD") and numbers never are.

A second capitalised name (a surname) and "X and Y" (twins) are taken with the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.guidance.privacy.name_contexts import (
    BEFORE_KIN,
    BEFORE_PHONE,
    CLAUSE_END,
    CONTEXTS,
    RELATION,
    SIGN_OFF,
    SIGN_OFF_END,
    SIGN_OFF_LOWER,
    Context,
)
from bot.guidance.privacy.words import (
    COMMON,
    DESCRIBING,
    GIVEN_ANY_CASE,
    GIVEN_LOWER,
    NOT_NAMES,
    NUMBERS,
    PREDICATIVE,
    STOP,
    capitals_say_nothing,
    place_words,
)

NAME = "[name]"
_APOS = "['’]"

# One word as typed: letters, inner hyphens and apostrophes ("Amy-Leigh", "O'Neill").
_WORD = re.compile(rf"[^\W\d_]+(?:[-{_APOS[1:-1]}][^\W\d_]+)*")
_POSSESSIVE = re.compile(rf"{_APOS}s$", re.IGNORECASE)
_MAX_NAMES = 4  # "Alfie, Archie and Isla Smith" at most: the work per context stays bounded
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")
_JOIN = re.compile(r"(?:\s*\(\s*\d{1,2}\s*\))?(?:\s+(?:and|&)\s+|\s*&\s*)")
_SPACE = re.compile(r"[ \t]+")
# How adjectives and participles end ("I'm exhausted.", "my son is violent."): after a loose
# context, such a word is not taken for a name.
_DESCRIBES = re.compile(r"(?:ed|ing|ful|less|ous|ive|able|ible|ent|ant|ic|al|ish|ly|y)$")


def is_name(
    word: str, strong: bool = False, shouting: bool = False, start: bool = False,
    ends_clause: bool = False, loose: bool = False, certain: bool = False,
) -> bool:
    """Whether one typed word, where a name could go, is a name (see the module's rules).
    ``ends_clause``: the word is followed by punctuation, the end or a new clause."""
    core = _POSSESSIVE.sub("", word)
    low = core.lower().replace("’", "").replace("'", "")
    parts = low.split("-")
    if len(core) < 2 or low in STOP or low in NOT_NAMES or low in place_words() or all(
        p in NUMBERS for p in parts
    ):
        return False
    if certain:
        return low not in DESCRIBING
    common = all(p in COMMON for p in parts)
    given = all(p in GIVEN_ANY_CASE for p in parts)
    if core[0].isupper() and not shouting:
        if core.isupper() or common and any(c.isupper() for p in core.split("-") for c in p[1:]):
            return False  # an acronym ("ASD", "SENCo")
        if start:
            return not common or given
        return low not in DESCRIBING or given
    if low in DESCRIBING:
        return False
    if not common or low in GIVEN_LOWER or (strong or ends_clause) and given:
        return True
    return loose and ends_clause and low not in PREDICATIVE and not (
        len(low) > 4 and _DESCRIBES.search(low))


def _names_at(
    text: str, pos: int, context: Context, shouting: bool
) -> list[tuple[int, int]]:
    """The spans of the name(s) starting at ``pos`` (none if the word there is not a name)."""
    first = _WORD.match(text, pos)
    if not first:
        return []
    ends_clause = bool(CLAUSE_END.match(text, _name_end(first)))
    if not is_name(first.group(), context.strong, shouting, context.start, ends_clause,
                   context.loose, context.certain):
        return []
    strong = context.strong
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
    if joined:
        return is_name(word, False, shouting)  # "aisha (4) and hamza", not "and then"
    return lower and is_name(word, strong, shouting)


def _name_end(match: re.Match[str]) -> int:
    possessive = _POSSESSIVE.search(match.group())
    return match.end() - (len(possessive.group()) if possessive else 0)


_PLAIN = Context(re.compile("^"))
_AT_START = Context(re.compile("^"), start=True)


def name_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` that are names, in any order, possibly overlapping."""
    shouting = capitals_say_nothing(text)
    for context in CONTEXTS:
        for match in context.pattern.finditer(text):
            yield from _names_at(text, match.end(), context, shouting)
    for match in SIGN_OFF.finditer(text):
        spans = _names_at(text, match.end(), _PLAIN, shouting)
        if spans and (SIGN_OFF_END.fullmatch(text, spans[-1][1])
                      or _names_at(text, match.end(), _AT_START, shouting)):
            yield from spans
    for match in SIGN_OFF_LOWER.finditer(text):  # "thanks, nadia": no ordinary word, at the end
        spans = _names_at(text, match.end(), _PLAIN, shouting)
        word = _WORD.match(text, match.end())
        if spans and word and word.group().lower() not in COMMON and SIGN_OFF_END.fullmatch(
            text, spans[-1][1]
        ):
            yield from spans
    for match in RELATION.finditer(text):
        start = bool(_SENTENCE_START.search(text, 0, match.start(1)))
        if is_name(match.group(1), False, shouting, start, True):
            yield match.start(1), match.end(1)
    for pattern in (BEFORE_KIN, BEFORE_PHONE):
        for match in pattern.finditer(text):
            if not shouting and is_name(match.group(1), start=True):
                yield match.start(1), match.end(1)


def _again(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Other places the names found are typed ("mother of Ioana, 3 years. Ioana has autism"):
    a name that is no ordinary word in any case, one that is, only as typed."""
    for word in {w for start, end in spans for w in _WORD.findall(text[start:end])}:
        if len(word) < 3:
            continue
        plain = all(p in COMMON for p in word.lower().split("-"))
        pattern = re.compile(rf"(?<![\w'’-]){re.escape(word)}(?![\w-])",
                             0 if plain else re.IGNORECASE)
        for match in pattern.finditer(text):
            yield match.span()


def redact_names(text: str) -> str:
    """``text`` with every name found replaced by ``[name]``."""
    spans = list(name_spans(text))
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(set(spans) | set(_again(text, spans))):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out += [text[last:start], NAME]
        last = end
    return "".join(out) + text[last:]
