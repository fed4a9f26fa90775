"""Finding a family's DSPL area from a town, village or postcode.

Works offline from the content file's tables; a live postcode lookup (see
``bot.guidance.postcodes``) can refine full postcodes and always falls back to the
tables when it is slow or down.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.guidance.content.schema import Dspl
from bot.guidance.parsing import normalise

# A postcode as people type it: "SG1 2AB", "sg12ab", "SG1", "wd24 3", "wd243".
_POSTCODE_TOKEN = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]{0,4})(?![A-Za-z0-9])")
_SPACED = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d{1,2}[A-Za-z]?)\s+(\d)([A-Za-z]{2})?(?![A-Za-z0-9])"
)
_OUTWARD = re.compile(r"^[A-Z]{1,2}\d{1,2}[A-Z]?$")
_INWARD = re.compile(r"^\d[A-Z]{2}$")
_FILLER = re.compile(
    r"\b(i|we|live|living|in|near|at|from|the|my|our|is|area|town|village|postcode|"
    r"which|what|dspl|am|are|its|it's|for|of|nr|around|just|outside|close|to|by|"
    r"please|hi|hello|thanks|thank|you)\b"
)


@dataclass
class DsplResult:
    """What the lookup found.

    status is one of: found, uncertain (more than one area is possible),
    ask (a split postcode: ask which place), outside (another council),
    not_found.
    """

    status: str
    place: str | None = None
    areas: list[int] = field(default_factory=list)
    stated: bool = True
    options: list[str] = field(default_factory=list)
    council: str | None = None
    postcode_district: str | None = None
    note: str | None = None

    @property
    def settled(self) -> bool:
        """True when there is an answer to give (an area, a choice of areas, or outside)."""
        return self.status in SETTLED

    @property
    def in_county(self) -> bool:
        """True when the place is in the council's area (one DSPL area or a choice of them)."""
        return self.status in IN_COUNTY

    @property
    def area(self) -> int | None:
        """The one DSPL area found, or None when there is not exactly one."""
        return self.areas[0] if self.status == "found" and self.areas else None

    @classmethod
    def from_slot(cls, stored: dict | None) -> DsplResult:
        """The result kept in a slot by :meth:`to_slot` (an empty slot is not found)."""
        stored = stored or {}
        return cls(
            status=stored.get("status") or "not_found",
            place=stored.get("place"),
            areas=[int(a) for a in stored.get("areas") or []],
            stated=bool(stored.get("stated", True)),
            council=stored.get("council"),
            postcode_district=stored.get("postcode_district"),
        )

    def to_slot(self) -> dict:
        """A small dict to keep in a slot (no full postcode, ever)."""
        return {
            "status": self.status,
            "place": self.place,
            "areas": self.areas,
            "stated": self.stated,
            "council": self.council,
            "postcode_district": self.postcode_district,
        }


IN_COUNTY = ("found", "uncertain")
SETTLED = (*IN_COUNTY, "outside")
LivePostcodeLookup = Callable[[str], "dict | None"]


def find_postcode(text: str, dspl: Dspl) -> tuple[str, str | None] | None:
    """(district, inward code or None) of the first UK-looking postcode in the text.

    With or without its space and in any case: "sg12ab" is SG1 2AB, "wd243" is WD24 with
    sector 3. Where the split is ambiguous ("sg13": SG13, or SG1 sector 3?) the district
    the table knows wins, the longest first.
    """
    areas = _postcode_areas(dspl)
    for match in _SPACED.finditer(text):
        district = match.group(1).upper()
        if _letters(district) in areas:
            inward = match.group(2) + match.group(3).upper() if match.group(3) else None
            return district, inward
    for match in _POSTCODE_TOKEN.finditer(text):
        token = match.group(1).upper()
        if _letters(token) in areas and (read := _read_token(token, dspl)):
            return read
    return None


def _read_token(token: str, dspl: Dspl) -> tuple[str, str | None] | None:
    """A token as (district, inward code or None): a whole postcode, a district the table
    knows, a district followed by its sector digit, or any well-formed district."""
    if len(token) > 4 and _INWARD.match(token[-3:]) and _OUTWARD.match(token[:-3]):
        return token[:-3], token[-3:]
    if token in dspl.postcodes:
        return token, None
    if token[-1].isdigit() and token[:-1] in dspl.postcodes:
        return token[:-1], None
    return (token, None) if _OUTWARD.match(token) else None


def _letters(code: str) -> str:
    match = re.match(r"[A-Z]+", code)
    return match.group(0) if match else ""


def _postcode_areas(dspl: Dspl) -> set[str]:
    """Postcode area letters the lookup knows: the county's and its neighbours'."""
    return {_letters(district) for district in dspl.postcodes} | set(dspl.outside_postcode_areas)


def lookup(
    text: str, dspl: Dspl, live_lookup: LivePostcodeLookup | None = None
) -> DsplResult:
    """Find the DSPL area for whatever place or postcode the text mentions."""
    postcode = find_postcode(text, dspl)
    if postcode:
        district, inward = postcode
        if inward and live_lookup:
            refined = _from_live(live_lookup(f"{district} {inward}"), dspl, district)
            if refined:
                return refined
        return lookup_district(district, dspl)
    return lookup_place(text, dspl)


def lookup_district(district: str, dspl: Dspl) -> DsplResult:
    """Offline answer for a postcode district such as 'SG1'."""
    entry = dspl.postcodes.get(district)
    if entry is None:
        letters = _letters(district)
        if letters in dspl.outside_postcode_areas:
            return DsplResult(
                "outside", council=dspl.outside_postcode_areas[letters],
                postcode_district=district,
            )
        return DsplResult("not_found", postcode_district=district)
    if entry.outside:
        return DsplResult(
            "outside", place=entry.places, council=entry.outside, postcode_district=district
        )
    if entry.straddles and entry.ask_places:
        return DsplResult(
            "ask",
            place=entry.places,
            areas=list(entry.areas),
            options=list(entry.ask_places),
            postcode_district=district,
            stated=entry.stated,
        )
    return DsplResult(
        _status_for(entry.areas),
        place=entry.places,
        areas=list(entry.areas),
        stated=entry.stated and not entry.straddles,
        postcode_district=district,
        note="This postcode area crosses a boundary." if entry.straddles else None,
    )


def _status_for(areas: list[int]) -> str:
    """'found' for one DSPL area, 'uncertain' for a choice of them."""
    return "found" if len(areas) == 1 else "uncertain"


def _candidates(dspl: Dspl) -> dict[str, str]:
    """Every known name -> which table it is in."""
    names = {name: "place" for name in dspl.places}
    names.update({name: "outside" for name in dspl.outside_places})
    names.update({name: "district" for name in dspl.district_councils})
    return names


def lookup_place(text: str, dspl: Dspl) -> DsplResult:
    """Offline answer for a town, village or district council name (typos allowed)."""
    cleaned = re.sub(r"[^\w\s'-]", " ", normalise(text))
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    names = _candidates(dspl)
    for name in sorted(names, key=len, reverse=True):
        if re.search(r"(?<![\w'])" + re.escape(name) + r"(?![\w'])", cleaned):
            return _result_for(name, names[name], dspl)
    words = _FILLER.sub(" ", cleaned).split()
    grams = [" ".join(words[i : i + n]) for n in (3, 2, 1) for i in range(len(words) - n + 1)]
    for gram in grams:
        if len(gram) < 4:
            continue
        close = difflib.get_close_matches(gram, list(names), n=1, cutoff=0.84)
        if close:
            return _result_for(close[0], names[close[0]], dspl)
    return DsplResult("not_found")


def _result_for(name: str, table: str, dspl: Dspl) -> DsplResult:
    display = name.title().replace("'S", "'s")
    if table == "outside":
        return DsplResult("outside", place=display, council=dspl.outside_places[name].council)
    if table == "district":
        areas = dspl.district_councils[name]
        return DsplResult(_status_for(areas), place=display, areas=list(areas),
                          stated=len(areas) == 1)
    place = dspl.places[name]
    return DsplResult(
        _status_for(place.areas), place=display, areas=list(place.areas), stated=place.stated,
        note=place.note,
    )


def _from_live(answer: dict | None, dspl: Dspl, district: str) -> DsplResult | None:
    """Turn a live postcode answer (district council, parish) into a result."""
    if not answer:
        return None
    council = (answer.get("admin_district") or "").strip()
    county = (answer.get("admin_county") or "").strip()
    if not council:
        return None
    key = council.lower().replace(" district", "").replace("city and district of ", "")
    areas = dspl.district_councils.get(key)
    if areas is None:
        if county.lower() == dspl.county.lower():
            return None
        return DsplResult("outside", council=council, postcode_district=district)
    if len(areas) == 1:
        return DsplResult("found", place=council, areas=list(areas), stated=True,
                          postcode_district=district)
    for part in (answer.get("parish"), answer.get("admin_ward")):
        if part:
            by_place = lookup_place(str(part), dspl)
            if by_place.in_county:
                by_place.postcode_district = district
                return by_place
    return DsplResult("uncertain", place=council, areas=list(areas), stated=False,
                      postcode_district=district)


def area_name(dspl: Dspl, area_id: int) -> str:
    """'DSPL 1' style name of an area."""
    for area in dspl.areas:
        if area.id == area_id:
            return area.name
    return f"DSPL {area_id}"
