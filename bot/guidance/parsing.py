"""Reading answers out of free text: ages, yes/no, who is asking, settings, concerns.

Pure functions, no Rasa: the form's validation action calls them on the user's
words, so "2 and a half", "she's 3" and "turns 5 in May" all become an age.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
}
MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
MAX_PLAUSIBLE_MONTHS = 18 * 12

_YEARS = r"(?:years?|yrs?|yo|y/o|y\.o\.?|y)"
_MONTHS = r"(?:months?|mnths?|mths?|mos?|m)"
_WEEKS = r"(?:weeks?|wks?|w)"
_NUM = r"(\d+(?:\.\d+)?)"


def normalise(text: str) -> str:
    """Lower-case, unify apostrophes and spaces, spell out fractions."""
    text = text.lower().replace("\u2019", "'").replace("\u00bd", " and a half")
    text = re.sub(r"\b(\d+)\s*1/2\b", r"\1 and a half", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def _words_to_digits(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        return str(NUMBER_WORDS[match.group(0)])

    pattern = r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b"
    # "one" is an age only beside an age word: "one of our children" is not.
    text = re.sub(
        r"(?:\b(is|aged?|turned|nearly|almost|under|just) )?\bone\b"
        r"(?!\s*(?:and a half|years?|yrs?|months?|mths?|yo\b|y/o|year-old|$))",
        lambda m: m.group(0) if m.group(1) else "a single",
        text,
    )
    text = re.sub(r"\ba (year|month|week)\b", r"1 \1", text)
    text = re.sub(r"(?<!and )\ba half\b(?= (?:years?|yrs?))", "0.5", text)
    return re.sub(pattern, swap, text)


def _months_until(month: int, today: dt.date) -> int:
    gap = (month - today.month) % 12
    return gap or 12


_AGE_CUE = re.compile(
    r"\b(?:(?:he|she|they|child|children|son|daughter|baby|boy|girl|kid|toddler|grandson|"
    r"youngest|eldest|oldest|granddaughter|mindee|little one|lo|ds|dd|(?:he|she|they)'?s)"
    r"(?:'s|'re| is| are| was| were| will be|'ll be| turned| has turned)?|aged?|actually|"
    r"now|nearly|almost|just turned)\s+(?:now\s+|only\s+|actually\s+|nearly\s+|almost\s+|"
    r"just\s+|about\s+|around\s+|turned\s+|just turned\s+)*(\d+(?:\.\d+)?)(?![\w.%/:-])"
)


def parse_age_months(text: str, today: dt.date | None = None, strict: bool = False) -> int | None:
    """The child's age in whole months, or None if the text gives no age.

    ``strict`` needs a cue that a bare number is an age ("she's 4", "4 years");
    use it when the question asked was about something else.
    """
    today = today or dt.date.today()
    text = _words_to_digits(normalise(text))
    if re.search(r"\b(new ?born|newborn)\b", text):
        return 0

    turns = re.search(
        r"\b(?:turns?|turning|will be|be)\s+(\d+)\s*(?:years?|yrs?)?\s*"
        r"(?:in|on|at the end of|by)?\s*(next month|next year|[a-z]+)?",
        text,
    )
    if turns:
        years = int(turns.group(1))
        when = (turns.group(2) or "").strip()
        if when == "next month":
            return _plausible(years * 12 - 1)
        if when in MONTHS:
            return _plausible(years * 12 - _months_until(MONTHS[when], today))
        return _plausible(years * 12 - 6)

    half = re.search(rf"\b{_NUM}\s*(?:{_YEARS}\s*)?(?:old\s*)?and a half\b", text)
    if half:
        return _plausible(round(float(half.group(1)) * 12) + 6)

    years_months = re.search(
        rf"\b{_NUM}\s*{_YEARS}\b(?:\s*(?:old)?\s*(?:,|and)?\s*(\d+)\s*{_MONTHS}\b)?", text
    )
    if years_months:
        months = round(float(years_months.group(1)) * 12)
        if years_months.group(2):
            months += int(years_months.group(2))
        return _plausible(months)

    months_only = re.search(rf"\b(\d+)\s*{_MONTHS}\b", text)
    if months_only:
        return _plausible(int(months_only.group(1)))

    weeks = re.search(rf"\b(\d+)\s*{_WEEKS}\b", text)
    if weeks:
        return _plausible(int(int(weeks.group(1)) / 4.345))

    text = re.sub(r"\b(?:school )?(?:year|yr|y)\s?\d{1,2}\b", " ", text)  # school years
    bare = re.findall(r"(?<![\w.£$/-])(\d+(?:\.\d+)?)(?![\w.%/:-])", text)
    cue = _AGE_CUE.search(text.replace("’", "'"))
    if len(bare) == 1 and (not strict or cue):
        value = float(bare[0])
    elif cue:  # several numbers: the one after "she's", "aged", "nearly" ...
        value = float(cue.group(1))
    else:
        return None
    return _plausible(round(value * 12)) if value <= 18 else None


def _plausible(months: int) -> int | None:
    return months if 0 <= months <= MAX_PLAUSIBLE_MONTHS else None


def describe_age(months: int) -> str:
    """'18 months', '2 years', '2 years 6 months'."""
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    years, rest = divmod(months, 12)
    text = f"{years} years"
    return f"{text} {rest} month{'s' if rest != 1 else ''}" if rest else text


_UNSURE = re.compile(
    r"\b(not sure|unsure|don'?t know|do not know|dont know|dunno|idk|no idea|maybe|"
    r"not certain|can'?t remember|cannot remember|perhaps|possibly|no clue)\b"
)
_NO = re.compile(
    r"\b(no|nope|nah|not yet|not really|haven'?t|hasn'?t|have not|has not|never|"
    r"don'?t|doesn'?t|does not|do not|didn'?t|not|none|nothing|n)\b"
)
_YES = re.compile(
    r"\b(yes|yeah|yea|yep|yup|ya|aye|y|sure|ok|okay|of course|definitely|certainly|"
    r"absolutely|correct|right|agreed|agree|happy|consent|consented|fine|they have|"
    r"she has|he has|we have|i have|they do|she does|he does|we do|i do|done|already)\b"
)


def first_answer(text: str, patterns: Iterable[tuple[str, re.Pattern[str]]]) -> str | None:
    """The answer of the first pattern that matches, in order ("unsure" before "no" before
    "yes": "not sure" holds a "not", and "no idea" a "no")."""
    return next((answer for answer, pattern in patterns if pattern.search(text)), None)


def parse_yes_no(text: str) -> str | None:
    """'yes', 'no' or 'unsure' from a short answer, or None."""
    return first_answer(normalise(text), (("unsure", _UNSURE), ("no", _NO), ("yes", _YES)))


_SETTING_WORDS = re.compile(
    r"\b(nursery|nurseries|pre-?school|play ?group|childminder|child minder|creche|"
    r"school|reception|setting|day ?care|kindergarten|children'?s centre|"
    r"family centre|forest school)\b"
)
_NOT_IN_SETTING = re.compile(
    r"\b(not in|no nursery|doesn'?t go|does not go|don'?t go|isn'?t in|is not in|"
    r"not at|not yet|at home|home with|stays? (at )?home|no childcare|not started|"
    r"hasn'?t started|not attending|doesn'?t attend|too young)\b"
)


def parse_attends_setting(text: str) -> bool | None:
    """Whether the child goes to a nursery, pre-school, childminder or school."""
    text = normalise(text)
    if _NOT_IN_SETTING.search(text):
        return False
    answer = parse_yes_no(text)
    if answer == "no":
        return False
    if _SETTING_WORDS.search(text) or answer == "yes":
        return True
    return None


ROLE_LABELS = {
    "parent": "Parent or carer",
    "carer": "Grandparent or other carer",
    "setting": "Nursery, pre-school or school staff",
    "childminder": "Childminder",
    "health": "Health professional",
    "other": "Someone else",
}
_ROLE_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("childminder", re.compile(r"\b(child ?minder|childminding)\b")),
    (
        "setting",
        re.compile(
            r"\b(senco|sendco|practitioner|key ?worker|keyworker|room leader|nursery nurse|"
            r"nursery manager|manager|teacher|teaching assistant|ta|educator|staff|setting|"
            r"pre-?school|nursery|school|deputy|head|inclusion lead|early years worker|"
            r"work (at|in) a)\b"
        ),
    ),
    (
        "health",
        re.compile(
            r"\b(health visitor|hv|gp|doctor|paediatrician|pediatrician|therapist|salt|"
            r"slt|speech and language therapist|physio|physiotherapist|ot|"
            r"occupational therapist|nurse|midwife|health professional|nhs|clinician)\b"
        ),
    ),
    (
        "carer",
        re.compile(
            r"\b(grandparents?|grandma|grandmother|granny|nan|nana|nanny|grandad|grandpa|"
            r"grandfather|foster (carer|parent|mum|dad)|fostering|special guardian|"
            r"kinship carer|aunt|auntie|uncle|my (grandson|granddaughter|grandchild|niece|"
            r"nephew))\b"
        ),
    ),
    (
        "parent",
        re.compile(
            r"\b(mum|mom|mummy|mother|mam|dad|daddy|father|parent|parents|carer|"
            r"foster|guardian|step ?mum|step ?dad|my (son|daughter|child|boy|girl|baby|"
            r"little one|kid|toddler)|my \d+ ?(year|yr|month))\b"
        ),
    ),
]
_PROFESSIONAL_SELF = re.compile(
    r"\b(i'?m an?|i am an?|i work|working as|as an?|our (setting|nursery|pre-?school|school)|"
    r"my (setting|nursery|pre-?school|room|key children|class)|in our|at our|we are an?)\b"
)
_PARENT_SELF = re.compile(
    r"\b(i'?m (his|her|their|the) |i am (his|her|their|the) |my (son|daughter|child|boy|"
    r"girl|baby|little one|grandson|granddaughter|toddler))"
)


def states_professional_role(text: str) -> bool:
    """True when the writer says they work in a setting or service ('our nursery')."""
    return bool(_PROFESSIONAL_SELF.search(normalise(text)))


def parse_role(text: str) -> str | None:
    """Who is asking: parent, carer, setting, childminder, health or other."""
    text = normalise(text)
    matches = [role for role, pattern in _ROLE_WORDS if pattern.search(text)]
    if not matches:
        if re.search(r"\b(someone else|other|social worker|friend|neighbour)\b", text):
            return "other"
        return None
    if len(matches) == 1:
        return matches[0]
    if "carer" in matches and not _PROFESSIONAL_SELF.search(text):
        return "carer"
    if _PARENT_SELF.search(text) and not _PROFESSIONAL_SELF.search(text):
        return "parent"
    return matches[0]


def parse_concerns(text: str, areas: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """Area-of-need keys whose keywords appear in the text, in the given order.

    ``areas`` pairs each key with its keywords (from the council's content).
    'all of them' selects every area; 'not sure' gives ['unsure'].
    """
    text = normalise(text)
    areas = [(key, list(words)) for key, words in areas]
    if re.search(r"\b(all of (them|those|the above)|everything|all areas|all four)\b", text):
        return [key for key, _ in areas]
    found = [
        key
        for key, words in areas
        if any(re.search(r"\b" + re.escape(word.lower()), text) for word in words)
    ]
    if found:
        return found
    if parse_yes_no(text) == "unsure" or re.search(r"\b(something else|other)\b", text):
        return ["unsure"]
    return []


_TRIED_WORDS = re.compile(
    r"\b(iep|individual education plan|support plan|sen support|apdr|assess,? plan|"
    r"graduated approach|reviewed|review|targets|strategies|interventions?|one to one|1:1|"
    r"tried|visual|timetable|extra support|my support plan|plan in place)\b"
)


def parse_support_tried(text: str) -> str | None:
    """'yes', 'no' or 'unsure': has the setting already tried assess-plan-do-review."""
    text = normalise(text)
    answer = parse_yes_no(text)
    if answer in ("unsure", "no"):
        return answer
    if answer == "yes" or _TRIED_WORDS.search(text):
        return "yes"
    return None
