"""Word lists that tell a name from an ordinary word (built by ``scripts/privacy_words.py``).

Read once, at import, from files shipped with the package; nothing else is read or fetched.
"""

from __future__ import annotations

import re
from functools import cache
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
    mr mrs ms miss mx dr nurse
    mum mom mummy mam mother dad daddy father wife husband partner sister brother auntie aunty
    aunt uncle nan nana nanny gran granny grandma grandmother grandad granddad grandpa
    grandfather cousin carer guardian parent parents
    monday tuesday wednesday thursday friday saturday sunday
    son sons daughter daughters boy boys girl girls child children kid kids baby babies toddler
    toddlers twin twins triplets grandson grandsons granddaughter granddaughters grandchild
    grandchildren nephew niece mindee mindees
    england scotland wales ireland britain uk europe poland romania bulgaria lithuania latvia
    ukraine russia albania greece turkey portugal spain italy france germany india pakistan
    bangladesh nepal china japan korea vietnam thailand philippines nigeria ghana kenya somalia
    eritrea ethiopia sudan egypt morocco syria iraq iran afghanistan jamaica africa asia america
    canada australia
    """
)
# Numbers in words: "I'm seventy-one", "my son is three".
NUMBERS = word_set(
    """
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred half
    """
)

# Ordinary words that say how someone is, typed where a name could end a clause ("I'm
# stuck.", "my son is behind."): after a loose context they are not names.
PREDICATIVE = word_set(
    """
    fine sure stuck alone aware ready single pregnant awake free able unable late early behind
    ahead home away out off over done gone through new old young small big tall short little
    quiet shy clingy different normal slow fast quick sad safe well better worse bad good hard
    tough busy keen glad nearly almost still there mum dad nan gran parent carer teacher nurse
    senco childminder asap now today tomorrow tonight later anytime soon please pls plz urgently
    again too also
    """
)

# Words people capitalise for emphasis where a name could go ("my son Autistic", "I'm
# Worried"): what a child is, has or feels, and how a parent feels.
DESCRIBING = word_set(
    """
    autistic deaf blind disabled nonverbal verbal delayed premature poorly unwell ill sick
    worried concerned anxious desperate stressed struggling exhausted confused lost unsure
    new here back again home going looking trying wondering asking writing calling
    interested happy sad upset fine good great okay grateful sorry afraid scared tired born
    """
)


# Words of place names that say what a place is, not which: never a town on their own.
_PLACE_PARTS = word_set(
    """
    st saint great little old new north south east west upper lower high end cross green park
    street heath bar abbey garden city common wood hill market kings king bishops bishop at on
    stone rivers three langley
    """
)


@cache
def area_words() -> frozenset[str]:
    """What people call the council's area (``council.area_names`` in its content): a word
    that describes a setting (a nursery in the county), never names it."""
    from bot.guidance.content import load_content  # here, not at import, like place_words

    return frozenset(name.lower() for name in load_content().council.area_names)


@cache
def place_words() -> frozenset[str]:
    """The words of the towns and villages the council's content knows ("hitchin",
    "hempstead"): never taken for a name ("health visitor, Stevenage"), except a word that
    is also a given name ("Sandy")."""
    from bot.guidance.content import load_content  # here, not at import: only needed once a name
    # context has matched

    dspl = load_content().dspl
    if dspl is None:
        return frozenset()
    names = [*dspl.places, *dspl.outside_places, *(t for a in dspl.areas for t in a.towns)]
    words = {w for name in names for w in re.findall(r"[^\W\d_]+", name.lower())}
    return frozenset(words - _PLACE_PARTS - GIVEN_ANY_CASE)


_WORDS = re.compile(r"[^\W\d_]{3,}")


def capitals_say_nothing(text: str) -> bool:
    """True for text typed In Title Case or IN CAPITALS, where a capital marks no name."""
    words = _WORDS.findall(text)
    return len(words) >= 6 and sum(w[0].isupper() for w in words) > 0.7 * len(words)
