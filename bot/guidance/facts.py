"""Everything a message says that the "Can I refer?" check needs, read from free text.

``read_facts`` is pure: given what someone typed (already redacted) and the council's areas
of need, it returns who is asking, the child's age, whether the child goes to a setting and
what kind, the worries mapped to the areas of need, what has been tried, whether the
parents agree, and any diagnosis, with the person's own words for the worries and the
support. Outside the check it is read with ``about_a_child=True``: a question about
children in general ("does a hearing impairment count?") says nothing about this child.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.guidance.parsing import (
    first_answer,
    normalise,
    parse_age_months,
    parse_role,
    states_professional_role,
)

_CHILD_WORDS = (
    r"(?:son|daughter|child|boy|girl|baby|toddler|little one|kid|grandson|granddaughter|"
    r"youngest|eldest|oldest|middle one|key child|"
    r"twins?|nephew|niece|mindee|foster (?:son|daughter|child)|ds|dd|lo)"
)
# A message is about one child when it says whose child, or refers to one with he/she.
_ABOUT_A_CHILD = re.compile(
    rf"\b(?:my|our|his|her|their)\s+(?:\w+\s+){{0,2}}?{_CHILD_WORDS}s?\b|"
    rf"\b(?:a|one|the)\s+(?:\w+\s+){{0,2}}?{_CHILD_WORDS}\s+(?:in|at|i|we|who|from)\b|"
    r"\bone of (?:our|my) (?:children|kids|mindees|key children|boys|girls)\b|"
    r"\b(?:he|she)(?:'s| is| has| was| does|'ll| can| can't| cannot| won't| doesn't| hardly|"
    r" only| isn't| hasn't| just| still| never| gets| seems| struggles| finds)\b|"
    r"\b(?:he|she) (?:\w+s)\b|"
    r"\b(?:his|her) (?:speech|talking|words|behaviour|development|nursery|setting|sen|needs)\b|"
    r"\b(?:my|our) \d+\s*(?:yo|y/o|years?|yrs?|months?|mths?)\b|"
    r"\b(?:has|have|got|with|see|support|supporting|after|for)\s+an?\s+\d+(?:\.\d+)?\s*"
    r"(?:-\s*)?(?:years?|yrs?|months?|mths?)[- ]old\b"
)
# Idioms that use concern words about the adult, not the child: "talk to the SENCo",
# "I don't understand the form".
_IDIOMS = re.compile(
    r"\b(?:talk|talking|speak|speaking|chat|chatting|spoke|spoken)\s+(?:to|with|about)\b|"
    r"\b(?:i|we)\s+(?:don'?t|do not|didn'?t|can'?t|cannot)\s+understand\b|"
    r"\bunderstand(?:ing)?\s+(?:the|how|what|why|your|this|that|if|whether|more|his needs|"
    r"her needs|their needs|the needs)\b|"
    r"\b(?:worried|worry|worries|anxious)\s+(?:about|that|if)\b|"
    r"\blearn(?:ing)?\s+(?:more|about)\b|\bsupport groups?\b|\bsocial (?:worker|care|services)\b|"
    r"\bvisual (?:timetables?|supports?|cards|schedules?|prompts?)\b"
)

_ATTENDS = re.compile(
    r"\b(?:goes|go|going|attends|attending|started|starts|is|she's|he's|at|in|from|our|my|"
    r"the|his|her|their)\s+(?:to\s+|at\s+)?(?:a\s+|the\s+|his\s+|her\s+|their\s+)?"
    r"(?P<kind>nursery|pre-?school|playgroup|play group|childminder|child minder|school|"
    r"reception|setting|day ?care|creche|kindergarten)\b|"
    r"\b(?P<minder>childminder|child minder)\s+(?:looks after|has)\b|"
    r"\b(?P<staff>(?:our|my) (?:nursery|pre-?school|setting|room|class|key children|mindees?)|"
    r"in (?:my|our) (?:room|care|class|setting))\b"
)
_NOT_ATTENDING = re.compile(
    r"\b(?:not (?:at|in|yet at|going to|attending)|isn'?t (?:at|in)|doesn'?t (?:go|attend)|"
    r"does not (?:go|attend)|don'?t (?:go|attend)|no nursery|not started|hasn'?t started|"
    r"waiting (?:list )?for (?:a )?(?:nursery|place)|at home with (?:me|us|mum|dad)|"
    r"stays? at home|home with me|not in (?:any )?(?:childcare|setting)|"
    r"starts? (?:nursery|pre-?school) (?:in|next|after|when))\b"
)
_KINDS = {
    "nursery": "nursery",
    "preschool": "pre-school",
    "pre-school": "pre-school",
    "playgroup": "pre-school",
    "play group": "pre-school",
    "childminder": "childminder",
    "child minder": "childminder",
    "school": "school",
    "reception": "school",
    "daycare": "nursery",
    "day care": "nursery",
    "creche": "nursery",
    "kindergarten": "nursery",
}

_SUPPORT = re.compile(
    r"\b(?:iep|ieps|individual (?:education|learning) plans?|support plans?|my support plan|"
    r"sen support|apdr|a\.?p\.?d\.?r|assess,? plan,? do,? (?:and )?review|graduated approach|"
    r"(?:two|three|four|2|3|4|several|few) (?:rounds|cycles|reviews|terms)|targets?|"
    r"strateg(?:y|ies)|interventions?|one[- ]to[- ]one|1:1|1-1|small groups?|group work|"
    r"visual (?:timetable|supports?|cards|schedule)|now and next|makaton|pecs|signing|"
    r"wellcomm|language link|attention autism|bucket time|sensory (?:breaks?|room|circuits?)|"
    r"social stor(?:y|ies)|extra (?:adult|staff|support|help)|key person support|"
    r"sand timers?|ear defenders|speech (?:and language )?(?:therapy|sessions)|salt|"
    r"we(?:'ve| have) tried|they(?:'ve| have) tried|has tried|have been trying|"
    r"has put in|have put in|put in place|in place for)\b"
)
_NO_SUPPORT = re.compile(
    r"\b(?:(?:haven'?t|hasn'?t|have not|has not|not yet|nothing|no) (?:tried|done|put|been|"
    r"got|started|any|an? iep|in place|support)|nothing (?:in place|has been|yet)|"
    r"no (?:extra )?support (?:yet|in place)|not tried anything)\b"
)
_CONSENT_YES = re.compile(
    r"\b(?:(?:mum|mom|dad|mother|father|parents?|carers?|family|they|she|he)(?:'s| is| are|"
    r" have| has)?\s+(?:happy|fine|ok|okay|keen|on board|agreed|agrees|agree|consented|given "
    r"(?:their |her |his )?consent|signed)|(?:have|got|with|gave|given) (?:the )?(?:parents?'? )?"
    r"(?:consent|permission|agreement)|parents? (?:want|asked|know and agree))\b"
)
_CONSENT_NO = re.compile(
    r"\b(?:(?:mum|mom|dad|mother|father|parents?|carers?|family)(?:'s| is| are| have| has)?\s+"
    r"(?:not|don'?t|doesn'?t|won'?t|haven'?t|hasn'?t|refused|against|unhappy|not happy|"
    r"not keen)|(?:haven'?t|not yet|not) (?:asked|told|spoken to|talked to) (?:the )?"
    r"(?:parents?|mum|dad|family)|without (?:the )?(?:parents?|consent))\b"
)
_CONSENT_UNSURE = re.compile(
    r"\b(?:not sure|unsure|don'?t know) (?:if|whether) (?:the )?(?:parents?|mum|dad|they) "
    r"(?:will|would|are|agree)\b"
)
_DIAGNOSES = (
    ("autism", r"autis\w*|asd|asc\b|on the spectrum"),
    ("ADHD", r"adhd"),
    ("Down's syndrome", r"down'?s? syndrome|trisomy 21"),
    ("cerebral palsy", r"cerebral palsy"),
    ("global developmental delay", r"global (?:developmental )?delay|gdd"),
    ("hearing impairment", r"hearing (?:impair\w*|loss)|deaf"),
    ("visual impairment", r"visual(?:ly)? impair\w*|blind"),
    ("epilepsy", r"epilep\w*"),
    ("a genetic condition", r"genetic (?:condition|disorder)|chromosom\w*"),
)
_AWAITING = re.compile(r"\b(?:waiting|wait|waitlist|on the list) (?:for|on) (?:an? )?\w*\s*"
                       r"(?:assessment|diagnosis)\b")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+|\s+(?:but|and also|also)\s+")
MAX_DETAIL_CHARS = 300
_ANOTHER_CHILD = re.compile(
    r"\b(?:my|our|the|his|her)\s+(?:other|second|third|younger|older|youngest|eldest|"
    r"oldest|middle)\b|\banother (?:child|son|daughter|boy|girl|one)\b"
)


def mentions_another_child(text: str) -> bool:
    """True for "my other son", "another child": not a correction of the child asked about."""
    return bool(_ANOTHER_CHILD.search(normalise(text)))


@dataclass
class Facts:
    """What one message says; None (or empty) where it says nothing."""

    role: str | None = None
    relation: str | None = None
    age_months: int | None = None
    attends_setting: str | None = None  # "yes" or "no"
    setting_kind: str | None = None
    concerns: list[str] = field(default_factory=list)
    concern_words: list[str] = field(default_factory=list)
    support_tried: str | None = None  # "yes" or "no"
    support_words: list[str] = field(default_factory=list)
    consent: str | None = None  # "yes", "no" or "unsure"
    diagnoses: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        """True when the message said nothing the check can use."""
        return not any(
            (self.role, self.age_months is not None, self.attends_setting, self.concerns,
             self.support_tried, self.consent, self.diagnoses)
        )


_RELATIONS = (
    ("grandparent", r"grandparents?|grandma|grandmother|granny|grandad|grandpa|grandfather|"
                    r"nan|nana|nanna|nanny|grandson|granddaughter|grandchild\w*"),
    ("foster carer", r"foster (?:carer|parent|mum|dad)|fostering|special guardian\w*|"
                     r"kinship carer"),
    ("SENCo", r"senco|sendco"),
    ("key person", r"key ?person|key ?worker"),
    ("nursery manager", r"nursery manager|pre-?school (?:manager|leader)|setting manager"),
    ("health visitor", r"health visitor|\bhv\b"),
)


def read_facts(
    text: str,
    areas: Iterable[tuple[str, Iterable[str]]],
    *,
    about_a_child: bool = False,
    today: dt.date | None = None,
) -> Facts:
    """What the message says. With ``about_a_child``, facts about a child count only when the
    message is about one particular child (who is asking always counts)."""
    lowered = normalise(text)
    facts = Facts()
    facts.role, facts.relation = _who_is_asking(lowered)
    if about_a_child and not _ABOUT_A_CHILD.search(lowered):
        return facts
    facts.age_months = parse_age_months(lowered, today=today, strict=True)
    facts.attends_setting, facts.setting_kind = _setting(lowered, facts.role)
    facts.concerns, facts.concern_words = _concerns(text, lowered, areas)
    facts.support_tried, facts.support_words = _support(text, lowered)
    facts.consent = _consent(lowered)
    facts.diagnoses = [name for name, pattern in _DIAGNOSES
                       if re.search(rf"\b(?:{pattern})", lowered)]
    if _AWAITING.search(lowered):
        facts.diagnoses = []
    return facts


def _who_is_asking(text: str) -> tuple[str | None, str | None]:
    """Who the writer is, only when they say so ("can a nursery refer?" says nothing)."""
    relation = next((name for name, pattern in _RELATIONS if re.search(rf"\b(?:{pattern})\b",
                                                                        text)), None)
    family = relation in ("grandparent", "foster carer")
    self_role = _SELF_ROLE.search(text)
    if relation and not (self_role or (family and _FAMILY_VOICE.search(text))):
        relation = None
    if relation in ("grandparent", "foster carer"):
        return "carer", relation
    if self_role:
        role = parse_role(self_role.group(0))
        if role and role != "parent":
            return role, relation
    if states_professional_role(text):
        role = parse_role(text)
        if role and role != "parent":
            return role, relation
    if _PARENT_VOICE.search(text):
        return "parent", None
    return None, None


_FAMILY_VOICE = re.compile(
    r"\b(?:my|our) (?:grandson|granddaughter|grandchild\w*|foster \w+)\b|"
    r"\b(?:i'?m|i am|we'?re|we are|as) (?:a |his |her |their |the )?"
    r"(?:grandparents?|grandma|granny|grandmother|grandfather|grandad|grandpa|nan|nana|nanny|"
    r"foster carers?|"
    r"special guardians?|kinship carers?)\b|\b(?:nan|nana|grandma|granny|grandad|grandpa) here\b"
)
_SELF_ROLE = re.compile(
    r"\b(?:i'?m|i am|im|as|here|speaking as|working as)\s+(?:an?\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,2}(?:senco|sendco|childminder|child minder|health visitor|hv|manager|"
    r"practitioner|teacher|key ?person|key ?worker|room leader|nurse|gp|therapist|slt|salt|"
    r"grandparents?|grandma|granny|grandad|grandpa|nan|nana|foster carer|"
    r"paediatrician|social worker|family support worker|deputy|owner|leader)\b|"
    r"\b(?:senco|childminder|health visitor|manager|practitioner|room leader|key person) here\b"
)
_PARENT_VOICE = re.compile(
    rf"\b(?:my|our)\s+(?:\w+\s+){{0,2}}?{_CHILD_WORDS}\b|\bi'?m (?:his|her|their|the) "
    r"(?:mum|mom|mother|dad|father|parent|mam|mummy|daddy)\b|\b(?:i'?m|i am) (?:a )?"
    r"(?:mum|mom|mother|dad|father|parent|single mum|single dad)\b|"
    rf"\b(?:my|our) \d+\s*(?:yo|y/o|years?|yrs?|months?|mths?)\b|\bas (?:a|his|her) "
    r"(?:mum|dad|parent)\b|\b(?:mum|dad|mummy|daddy) here\b"
)


def _setting(text: str, role: str | None) -> tuple[str | None, str | None]:
    if _NOT_ATTENDING.search(text):
        return "no", None
    match = _ATTENDS.search(text)
    if match:
        word = match.group("kind") or match.group("minder") or ""
        kind = _KINDS.get(word.replace("-", "").replace(" ", "") if word not in _KINDS
                          else word)
        if match.group("staff"):
            kind = "childminder" if role == "childminder" else "nursery"
        if word in ("setting",):
            kind = None
        return "yes", kind
    if role in ("setting", "childminder"):
        return "yes", "childminder" if role == "childminder" else None
    return None, None


def _sentences(text: str) -> list[str]:
    return [part.strip(" ,;") for part in _SENTENCES.split(text) if part.strip(" ,;")]


def _concerns(
    original: str, lowered: str, areas: Iterable[tuple[str, Iterable[str]]]
) -> tuple[list[str], list[str]]:
    cleaned = _IDIOMS.sub(" ", lowered)
    found: list[str] = []
    for key, words in areas:
        if any(re.search(r"\b" + re.escape(word.lower()), cleaned) for word in words):
            found.append(key)
    if not found:
        return [], []
    keywords = [w.lower() for _, ws in areas for w in ws]
    kept = [
        s for s in _sentences(original)
        if any(re.search(r"\b" + re.escape(w), _IDIOMS.sub(" ", normalise(s))) for w in keywords)
    ]
    return found, _short(kept)


def _support(original: str, lowered: str) -> tuple[str | None, list[str]]:
    if _NO_SUPPORT.search(lowered):
        return "no", []
    if not _SUPPORT.search(lowered):
        return None, []
    kept = [s for s in _sentences(original) if _SUPPORT.search(normalise(s))]
    return "yes", _short(kept)


def _consent(text: str) -> str | None:
    return first_answer(
        text, (("unsure", _CONSENT_UNSURE), ("no", _CONSENT_NO), ("yes", _CONSENT_YES))
    )


def _short(sentences: list[str]) -> list[str]:
    """Sentences, in order, without repeats, cut so they fit the form's box."""
    out: list[str] = []
    total = 0
    for sentence in dict.fromkeys(sentences):
        if total + len(sentence) > MAX_DETAIL_CHARS:
            break
        out.append(sentence)
        total += len(sentence) + 1
    return out
