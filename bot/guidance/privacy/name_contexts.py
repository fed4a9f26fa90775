"""Where a name may follow, or stand before: the patterns ``bot.guidance.privacy.names`` looks for.

Each ``Context`` is a pattern whose match ends where a name would start, and how sure the
context is:

* ``strong``: a lower-case given name counts too ("called grace", "mum of little joy");
* ``loose``: so sure that a lower-case ordinary word counts when it ends a clause ("hi im
  jade my son", "hi its patience, my daughter", "we call her bee)"), unless it describes;
* ``start``: a capital proves nothing here ("Reception teacher here", "ask for Portage"), so
  the word must be no ordinary word, or a given name.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_APOS = "['’]"
_I = re.IGNORECASE

CHILD = (
    r"(?:sons?|daughters?|boys?|girls?|lad|little\s+one|little\s+man|little\s+lady|"
    r"grandsons?|granddaughters?|grandaughter|grandchild(?:ren)?|child|baby|toddler|nephew|"
    r"niece|twins?|kids?|children|stepson|stepdaughter|mindee|foster\s+(?:son|daughter|child)|"
    r"youngest|eldest|oldest|middle\s+one|"
    r"(?:\d{1,2}|one|two|three|four|five)[\s-]*(?:year|yr)s?[\s-]*old|\d{1,2}\s?yo)\b"
)
ADULT = (
    r"(?:mum|mom|mummy|mam|mother|dad|daddy|father|wife|husband|partner|fianc[eé]e?|sister|"
    r"brother|auntie|aunty|aunt|uncle|nan|nana|nanny|gran|granny|grandma|grandmother|grandad|"
    r"granddad|grandpa|grandfather|cousin|step-?mum|step-?dad|carer|guardian)\b"
)
ROLE = (
    r"(?:hv|health\s+visitor|senco|sendco|key\s*worker|key\s+person|social\s+worker|teacher|"
    r"paediatrician|pediatrician|advis[eo]rs?|manager|therapist|salt|doctor|gp|consultant|"
    r"practitioner|room\s+leader|nurse|portage\s+worker|family\s+support\s+worker|officer)\b"
)
ADJ = (
    r"(?:little|youngest|eldest|oldest|middle|younger|older|baby|twin|step|adopted|only|"
    r"first|second|third|gorgeous|beautiful|lovely)"
)
_POSSESSOR = rf"(?:my|our|his|her|their|the\s+child{_APOS}s|[^\W\d_]+{_APOS}s)"
_GREETING = r"(?:hi|hello|hiya|hey|hii+|morning|good\s+(?:morning|afternoon|evening))"
_CAPITAL = r"(?-i:(?=[A-Z]))"


class Context(NamedTuple):
    """A pattern whose match ends where a name may start, and how sure it is."""

    pattern: re.Pattern[str]
    strong: bool = False
    start: bool = False
    loose: bool = False
    certain: bool = False


def _c(pattern: str, flags: int = _I, **kw: bool) -> Context:
    return Context(re.compile(pattern, flags), **kw)


CONTEXTS = [
    # self-introductions: "I'm Perpetua", "this is Kacper", "call me Bex", "hi its fatima"
    _c(rf"(?<![\w'’])(?:i\s?{_APOS}?m|i\s+am|this\s+is|call\s+me)\s+", loose=True),
    _c(rf"(?:^|[.!?]\s+){_GREETING}\W{{0,3}}\s*(?:there\s*,?\s*)?(?:it\s?{_APOS}?s|its)\s+",
       strong=True, loose=True),
    # kinship: "my daughter Wilhelmina", "our boy, Kacper", "my wife Shabnam", "Mum (Leah)"
    _c(rf"\b(?:my|our|his|her|their)\s+(?:{ADJ}\s+)?{CHILD}(?:\s*,|\s*\()?\s*"),
    _c(rf"\b{_POSSESSOR}\s+{ADULT}(?:\s*,|\s*\(|\s*:)?\s*"),
    _c(rf"\b{ADULT}\s*\(\s*"),
    # "a son, Ibrahim", "the little girl, Amelia"
    _c(rf"\b(?:a|the)\s+(?:{ADJ}\s+)?{CHILD}\s*,\s*{_CAPITAL}"),
    # "my son is mason, hes 2", "Mum is Sarah Jones", "Son: Ethan", "mum (me) is roxana"
    _c(rf"\b(?:my|our|his|her|their)\s+(?:{ADJ}\s+)?(?:{CHILD}|{ADULT})\s+(?:is|was)\s+"),
    _c(rf"(?:^|[.,;:!?(-]\s*|\band\s+){ADULT}\s*(?:\([^()\n]{{1,12}}\)\s*)?(?:(?:is|was)\b|[:=-])\s*"),
    _c(rf"(?:^|[.,;:!?(-]\s*){CHILD}\s*(?:is\b|[:=])\s*"),
    # "mother of Ioana", "mum to isla", "dad of ellie-may", "mum of little joy"
    _c(rf"\b(?:{ADULT}|childminder|key\s*worker)\s+(?:of|to)\s+(?:(?:little|baby)\s+)?",
       strong=True, loose=True),
    # naming words: "my son is called Tom", "someone called bill", "her name is Zara"
    _c(
        rf"\b(?:(?:his|her|their|my|our|{CHILD}{_APOS}s)\s+name(?:\s+is|{_APOS}s)|"
        rf"name{_APOS}s|(?:i\s?{_APOS}?m|i\s+am|(?:he|she|they)(?:\s+is|\s+are|{_APOS}s)?|"
        rf"{CHILD}(?:\s+is|\s+was|{_APOS}s)?|one)\s+(?:called|named|known\s+as)|"
        rf"we\s+call\s+(?:him|her|them))\s+",
        strong=True, loose=True,
    ),
    _c(rf"\b(?:(?:his|her|their|my|our|{CHILD}{_APOS}s)\s+name(?:\s+is|{_APOS}s)|"
       rf"name{_APOS}s|we\s+call\s+(?:him|her|them)|known\s+as|nicknamed)\s+", certain=True),
    _c(rf"(?:\b(?:someone|somebody|lady|gentleman|man|woman|person|worker|visitor|nurse|"
       rf"teacher|senco|manager|advis[eo]r|there|is|was|are|were|shes|hes)|{_APOS}s|\b\d{{1,2}})"
       rf"\s+(?:called|named)\s+", strong=True),
    _c(r"(?:\bmy\s+names|\bname\s+is|\bname\s*[:=])\s*", certain=True),
    # titles: "Mrs Patel", "Nurse Collins"
    _c(r"\b(?:Mrs|Mr|Ms|Miss|Mx|Dr|Nurse|Sister)\.?\s+(?=[A-Z])", 0, strong=True),
    # roles: "our HV, Nadine,", "the SENCo there is Beverley", "social worker is Ms Adeyemi"
    _c(rf"\b{ROLE}(?:\s+there)?(?:\s+(?:is|was)\s+|\s*[,(:]\s*|\s+-\s+)"),
    # "Ask for tomasz"
    _c(r"\bask(?:ing)?\s+for\s+", start=True),
    # "Kacper here", "Hi, Zainab here"
    _c(rf"^(?:{_GREETING}[,!]?\s+)?(?=\S+(?:\s+\S+)?\s+here\b)", start=True),
]

# Before a kinship word: "Will is our youngest", "Amina is my niece".
BEFORE_KIN = re.compile(
    rf"(?<![\w'’-])([A-Z][^\W\d_]+(?:-[^\W\d_]+)*)\s+(?:is|was)\s+"
    rf"(?:my|our|his|her|their)\s+(?:{ADJ}\s+)?(?:{CHILD}|{ADULT})",
)
# Before a phone number: "Simona, [phone]", "Ask Kemi on [phone]".
BEFORE_PHONE = re.compile(r"(?<![\w'’-])([A-Z][^\W\d_]+)\s*(?:[,:-]\s*|\s+on\s+)\[phone\]")
# "Thanks, Imogen": a name after a thank-you, either closing the message or no ordinary word;
# "Thanks, nadia" in lower case only closing it.
SIGN_OFF = re.compile(
    r"\b(?:thanks|thank\s+you|regards|wishes|cheers|love|faithfully|sincerely|yours|best|ta)\b"
    rf"(?:[^.!?\n]{{0,40}}?[,\s])?\s*{_CAPITAL}",
    _I,
)
SIGN_OFF_LOWER = re.compile(r"\b(?:thanks|thank\s+you|cheers|regards)\s*,?\s+(?=[a-z])", _I)
SIGN_OFF_END = re.compile(r"\s*(?:x+)?\s*[.!]*\s*(?:\([^()\n]{1,40}\))?\s*[.!]*\s*$", _I)
RELATION = re.compile(
    rf"(?<![\w'’-])([^\W\d_]+(?:-[^\W\d_]+)*){_APOS}s\s+(?=(?:{ADULT}|childminder|"
    r"key\s*worker|key\s+person|sister|brother|parents?)\b)",
    _I,
)
# What may follow a name that ends a clause: punctuation, the end, or a new clause's word.
CLAUSE_END = re.compile(
    r"\s*(?:[,.;:!?)(]|$)|\s+(?:here|from|again|and|&|is|was|has|had|my|i|im|we|our|mum|mom|"
    r"dad|x+|aged?|\d)\b|\s+-\s",
    _I,
)
