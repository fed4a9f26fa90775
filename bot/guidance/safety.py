"""Spotting words that suggest a child may be in danger or being harmed.

Deterministic, so the safeguarding signpost never depends on a model's mood.
It looks for a child as the one being harmed (or an adult at risk of harming a
child), and deliberately leaves out everyday behaviour ("he hits other
children", "she bites at nursery", "no sense of danger"), which has its own
route.
"""

from __future__ import annotations

import re

from bot.guidance.parsing import normalise

_CHILD = (
    r"(my|ma|our|the|a|this|that|her|his|their|one of our) (little |youngest |eldest |2 year old |"
    r"3 year old |young )?(child|children|son|daughter|baby|boy|"
    r"girl|kid|kids|little one|toddler|grandchild|grandson|granddaughter|twins|niece|nephew|"
    r"brother|sister|boy|girl)( next door| at home| in our (setting|nursery|care))?"
)
_ADULT = (
    r"(someone|somebody|partner|boyfriend|girlfriend|husband|wife|ex|dad|daddy|father|mum|"
    r"mummy|mother|step ?dad|step ?mum|uncle|aunt|grandad|man|woman|adult|carer|babysitter|"
    r"childminder|teacher|staff|neighbour|stranger|a parent|his parent|her parent|parents|"
    r"practitioner|key ?worker|worker|grown ?-?up|sum1|some1|some ?one at home)"
)
_HARM = (
    r"(hit|hits|hitting|beat|beats|beating|beaten|hurt|hurts|hurting|hurtin|harm|harms|harming|"
    r"abus\w*|grab\w*|"
    r"touch\w* (him|her|them|me)? ?inappropriately|touched|touching|shak\w*|burn\w*|chok\w*|"
    r"strangl\w*|starv\w*|lock\w* (up|in)|punch\w*|kick\w*|slap\w*|smack\w*|throttl\w*|"
    r"threaten\w*|rap\w*)"
)

_DANGER_PATTERNS = [
    # an adult harming a child
    rf"\b{_ADULT} (is |has been |keeps |was |had |have |has |will |might |may |is going to |"
    rf"has started |started )?{_HARM} {_CHILD}\b",
    # a named adult harming "him/her/them"
    r"\b(partner|boyfriend|girlfriend|husband|wife|ex|dad|daddy|father|mum|mummy|mother|"
    r"step ?dad|step ?mum|uncle|grown ?-?up|adult|man|practitioner|key ?worker) "
    r"(hits|hit|beats|beat|hurts|hurt|punches|punched|kicks|kicked|slaps|slapped|smacks|"
    r"burns|burnt|chokes|choked|grabs|grabbed|shakes|shook) (him|her|them|me and)\b",
    r"\b(slap\w*|punch\w*|strangl\w*|chok\w*|shak\w*) (a|the) (child|baby|toddler)\b",
    # a child being harmed
    rf"\b{_CHILD} (is|are|was|were|has been|have been|gets|got|being|is being|are being|"
    r"keeps being|is bein) "
    r"(hit|beaten|hurt|harmed|abused|neglected|touched|shaken|burn\w*|starved|locked|"
    r"punched|kicked|slapped|smacked|threatened|raped|assaulted|attacked)\b",
    # a child telling someone about harm
    r"\b(said|says|told me|disclosed|telling me)\b.{0,40}\b(hit|hits|hurt|hurts|touched|touches|"
    r"beat|beats|smacked|punched|kicked|burn\w*)\b",
    # an adult afraid of harming a child
    r"\b(i|i'm|im|i am)\b.{0,25}\b(might|could|will|going to|want to|scared i|afraid i|worried i)"
    r"\b.{0,25}\b(hurt|harm|hit|shake|kill)\b",
    # words that are themselves about harm
    r"\b(abuse|abused|abusing|abusive|neglect|neglected|neglecting|molest\w*|groom\w*|"
    r"sexual\w*|paedophile|pedophile|domestic violence|domestic abuse|fgm|trafficked|"
    r"self[- ]harm\w* (parent|mum|dad))\b",
    r"\b(not safe|unsafe|in danger|at risk of harm|at risk|scared|afraid|frightened|terrified)"
    r"\b.{0,20}\b(at home|home|of (him|her|them|dad|mum|daddy|mummy|partner|his dad|her dad|"
    r"his mum|her mum))\b",
    r"\b(bruise|bruises|bruising|burn marks|burns|cuts|welts|injur\w*|marks)\b.{0,60}"
    r"\b(unexplained|explain|daddy|mummy|dad|mum|home|partner|boyfriend|did it|did this|"
    r"gave|hit|not an accident)\b",
    r"\b(left|leave|leaves|leaving)\b.{0,30}\b(alone|on (his|her|their|its) own|unattended|"
    r"by (himself|herself|themselves)|on (his |her |their )?own)\b",
    r"\b(grab\w*|held|holding|squeez\w*)\b.{0,30}\bby the (neck|throat)\b",
    r"\b(partner|husband|boyfriend|wife|girlfriend|ex)\b.{0,25}\b(hits|hitting|hit|beats|"
    r"beating|hurts|hurting|threatens|threatening) me\b",
    r"\b(wandering|found)\b.{0,30}\balone\b",
    r"\b(left|being left|is left|gets left) (at home )?(alone|on (his|her|their) own|unattended)\b",
    r"\bunexplained (bruis\w*|injur\w*|marks|burns|cuts)\b",
    r"\b(home alone|no food in the house|not been fed|isn'?t being fed|not fed|starving|"
    r"never fed|underfed|malnourish\w*|always hungry|comes? (in|to nursery) hungry|"
    r"hungry and (in )?dirty|dirty clothes|dirty nappy|unwashed)\b",
    r"\b(violent|violence|kidnap\w*|abduct\w*|trafficking)\b",
    r"\b(marks|bite marks|burn mark|broken (arm|leg|bone)|fracture)\b.{0,60}\b(on (him|her)|"
    r"adult|won'?t say|doesn'?t add up|can'?t explain|story|dad'?s|mum'?s|home)\b",
    r"\b(came|comes|coming) (back|home) from .{0,20}\b(with marks|with bruis\w*|hurt)\b",
    r"\b(photos?|pictures?|videos?) of (my|a|the|our) (child|son|daughter|kid)\b.{0,30}"
    r"\b(without clothes|naked|undressed)\b",
    r"\b(man|woman|stranger|adult|someone) (has been |is |keeps )?(messag\w*|texting|"
    r"contacting|following) (my|a|our|the) (child|son|daughter|kid)\b",
    r"\block\w* (him|her|them) (in|up)\b|\bputs? (him|her|them) in the cupboard\b",
    r"\b(safeguarding|safe-guarding)\b",
    r"\b(is|are|was|were) in danger\b",
    r"\b(at risk)\b(?! of (exclusion|being excluded|placement|losing|breakdown|failing|delay|"
    r"falling behind|exclusion from))",
    r"\b(safety|safe)\b.{0,25}\b(home|with (their|his|her) (parents|father|mother|dad|mum))\b",
    r"\b(scared|afraid|frightened|worried|fear\w*) (4|for) (my|the|our|his|her) "
    r"(kids?|children|child|son|daughter|baby)'?s? safety\b",
    r"\b(afraid|scared|frightened) of what i (might|could|will) do\b",
    r"\bunder the influence\b",
    r"\b(drunk|high|on drugs|intoxicated|smelled of alcohol|smelt of alcohol)\b.{0,60}"
    r"\b(collect|pick (him|her|them)? ?up|picking up|pickup|look(ing)? after|in charge|"
    r"driving|caring)\b",
    r"\b(collect\w*|pick\w* up|came)\b.{0,40}\b(drunk|high|on drugs|intoxicated)\b",
    r"\b(kill (myself|himself|herself)|suicid\w*|want to die|end it all)\b",
    r"\b(child protection|safeguarding concern|safeguarding issue|report a concern|"
    r"worried about (a|the) child'?s safety|concerned for (his|her|their) safety)\b",
]

_BENIGN_PATTERNS = [
    r"\b(sense of danger|danger awareness|awareness of danger|no fear of danger|"
    r"danger to (himself|herself|themselves))\b",
    r"\b(other|another) (child|children|kids|boy|girl|toddler)s?\b",
    r"\b(hurts?|hurting|hit|hits|hitting|bit|bites|biting|harm\w*|bang\w*) "
    r"(himself|herself|themselves|his head|her head)\b",
    r"\b(head ?bang\w*)\b",
    r"\b(place|placement|nursery place|spot)\b.{0,25}\bat risk\b",
    r"\b(he|she|they)('s| is| are| gets| can be| has been) (so |very |really |quite )?"
    r"(violent|aggressive)\b",
    r"\b(grooming (his|her) hair|dog grooming)\b",
]

_DANGER = [re.compile(p) for p in _DANGER_PATTERNS]
_BENIGN = [re.compile(p) for p in _BENIGN_PATTERNS]
_STRONG = re.compile(
    r"\b(abuse|abused|abusing|neglect\w*|molest\w*|sexual\w*|domestic (violence|abuse)|"
    r"not safe at home|unsafe at home|kill (myself|himself|herself)|suicid\w*|"
    r"(partner|boyfriend|dad|daddy|father|step ?dad|husband|man) (hits|hit|beats|beat|hurts|"
    r"hurt|punched|kicked) (my|our|the|her|his))\b"
)


def suggests_child_at_risk(text: str) -> bool:
    """True when the words suggest a child may be in danger or being harmed.

    Everyday behaviour words on their own (a child hitting or biting others,
    hurting himself in a meltdown, no sense of danger) do not count, unless a
    strong harm phrase is also present.
    """
    text = normalise(text)
    if not any(pattern.search(text) for pattern in _DANGER):
        return False
    if _STRONG.search(text):
        return True
    cleaned = text
    for pattern in _BENIGN:
        cleaned = pattern.sub(" ", cleaned)
    return any(pattern.search(cleaned) for pattern in _DANGER)


def describes_everyday_behaviour(text: str) -> bool:
    """True for everyday behaviour words (other children, meltdowns, no sense of danger)
    with nothing that suggests a child is being harmed."""
    text = normalise(text)
    return any(p.search(text) for p in _BENIGN) and not suggests_child_at_risk(text)
