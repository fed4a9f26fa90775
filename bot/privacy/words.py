"""Word lists that tell a name from an ordinary word (built by ``scripts/privacy_words.py``).

Read once, at import, from files shipped with the package; nothing else is read or fetched.
"""

from __future__ import annotations

import re
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def word_set(text: str) -> frozenset[str]:
    """The words of a text, as a set (for the lists written out in code)."""
    return frozenset(text.split())


def _lines(name: str) -> frozenset[str]:
    return frozenset((_HERE / name).read_text(encoding="utf-8").split())


# Ordinary English words typed in lower case (SCOWL British English, the training data, and
# text-speak such as "dont" and "tbh"): "my son wilhelmina" is a name, "my son really" is not.
COMMON = _lines("common_words.txt")
# Capitalised words that are also ordinary words ("Grace", "Will", "Rose"): a name when typed
# with a capital where a name would go.
GIVEN = _lines("given_names.txt")
GIVEN_ANY_CASE = frozenset(w.lower() for w in GIVEN)
# Those that are names even typed in lower case ("my son jack"), but not "will" or "may".
GIVEN_LOWER = _lines("given_lower.txt")

# Function words: never a name, however they are typed ("I'm At the nursery", "this is So hard").
STOP = word_set(
    """
    a about above after again against all almost also although always am among an and another
    any anyone anything are around as at away back be because been before being below between
    both but by can cannot cant could couldnt did didnt do does doesnt doing done dont down
    during each either else enough even ever every everyone everything few for from further
    get gets getting go goes going gone got had has hasnt have havent having he hed hes her
    here hers herself him himself his how however i id if ill im in into is isnt it its itself
    ive just least less like many me might more most much must my myself near neither never
    no nobody none nor not nothing now of off often on once one only onto or other others our
    ours ourselves out over own past per perhaps please quite rather really same she shed
    shes should since so some someone something sometimes soon still such than that thats the
    their theirs them themselves then there these they theyre this those though through thru
    thus to too toward towards under until up upon us very was wasnt we were what whatever
    when where whether which while who whom whose why with within without would wouldnt yet
    you your yours yourself ok okay yes yeah yep no nope hi hello hiya hey dear thanks thank
    sorry well oh um erm so also currently actually basically just literally totally
    """
)

# Capitalised words that say who someone is, not what they are called: "I'm Polish".
NOT_NAMES = word_set(
    """
    english british scottish welsh irish european polish romanian bulgarian lithuanian latvian
    estonian czech slovak hungarian ukrainian russian albanian kosovan greek turkish kurdish
    portuguese spanish italian french german dutch indian pakistani bangladeshi sri lankan
    nepali chinese japanese korean vietnamese thai filipino nigerian ghanaian kenyan somali
    eritrean ethiopian sudanese egyptian moroccan syrian iraqi iranian afghan arab arabic urdu
    punjabi bengali hindi gujarati tamil tagalog caribbean jamaican african asian american
    canadian australian muslim christian catholic hindu sikh jewish buddhist
    mr mrs ms miss mx dr
    """
)

# Words people capitalise for emphasis where a name could go ("my son Autistic", "I'm
# Worried"): what a child is, has or feels, and how a parent feels.
DESCRIBING = word_set(
    """
    autistic deaf blind disabled nonverbal verbal delayed premature poorly unwell ill sick
    worried concerned anxious desperate stressed struggling exhausted confused lost unsure
    new here back again home going looking trying wondering asking writing calling
    interested happy sad upset fine good great okay grateful sorry afraid scared tired
    """
)

_WORDS = re.compile(r"[^\W\d_]{3,}")


def capitals_say_nothing(text: str) -> bool:
    """True for text typed In Title Case or IN CAPITALS, where a capital marks no name."""
    words = _WORDS.findall(text)
    return len(words) >= 6 and sum(w[0].isupper() for w in words) > 0.7 * len(words)
