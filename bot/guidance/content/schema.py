"""The shape of a council's content file, checked when it is loaded.

Every fact the assistant can say lives in ``bot/guidance/content/<council>.yml`` and is
validated against these models at start-up, so that a broken phone number or a
missing source fails the start, not a parent's chat.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Extra, Field, root_validator, validator

PHONE_RE = re.compile(r"^(999|101|0\d{2,4}( ?\d{2,4}){1,3})$")
EMAIL_RE = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
URL_RE = re.compile(r"^https?://[^\s]+$")
WAYS = ("phone", "email", "url")  # a contact's ways to reach them, in the order offered


class Strict(BaseModel):
    """Base model: unknown keys are an error, so typos in the file are caught."""

    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Sourced(Strict):
    """Anything stated as a fact carries where it came from and when it was checked."""

    source: str = Field(..., description="URL of the public page the fact comes from")
    checked: dt.date = Field(..., description="date the fact was last checked")
    published: str | None = Field(None, description="date the source itself shows, if any")

    @validator("source")
    def _source_is_url(cls, value: str) -> str:  # noqa: N805
        if not URL_RE.match(value):
            raise ValueError(f"source must be a URL, got {value!r}")
        return value


class Contact(Sourced):
    """A way to reach a person or a service."""

    name: str
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    hours: str | None = None
    note: str | None = None

    def ways(self) -> list[tuple[str, str]]:
        """The ways to reach them, in the order they are offered: ("phone", number),
        ("email", address), ("url", website), each only when known."""
        return [(kind, value) for kind in WAYS if (value := getattr(self, kind))]

    @validator("phone")
    def _phone_format(cls, value: str | None) -> str | None:  # noqa: N805
        if value is not None and not PHONE_RE.match(value):
            raise ValueError(f"phone number {value!r} is not a UK number")
        return value

    @validator("email")
    def _email_format(cls, value: str | None) -> str | None:  # noqa: N805
        if value is not None and not EMAIL_RE.match(value):
            raise ValueError(f"email {value!r} is not an email address")
        return value

    @validator("url")
    def _url_format(cls, value: str | None) -> str | None:  # noqa: N805
        if value is not None and not URL_RE.match(value):
            raise ValueError(f"url {value!r} is not an http(s) URL")
        return value


class Topic(Sourced):
    """An answer to one kind of question, in plain English."""

    title: str
    text: str = Field(..., description="the short answer, sent first")
    more: str | None = Field(None, description="the rest, sent on 'Tell me more'")
    contacts: list[str] = Field(default_factory=list, description="contact ids to append")
    link: str | None = Field(None, description="URL for 'read more'")


class AreaOfNeed(Strict):
    """One of the areas of need, with words a parent might use for it."""

    key: str
    label: str
    keywords: list[str]


class Eligibility(Sourced):
    """Age range and areas of need the service covers."""

    max_age_months: int = Field(..., ge=12, le=120)
    transition_max_years: int | None = Field(None, ge=5, le=10)
    areas_of_need: list[AreaOfNeed]
    need_line: str | None = Field(
        None, description="'{need} would usually come under {areas}.' for a named need"
    )


REFERRAL_OUTCOMES = (
    "refer_now",
    "graduated_first",
    "check_with_setting",
    "consent_needed",  # someone other than a parent: talk to the parents first
    "parent_to_decide",  # a parent who has not agreed yet: it is their decision
    "transition_only",
    "over_age",
    "not_sure_needs",
)
"""Every result the 'Can I refer?' check can reach; each council's content words each one."""


class Outcome(Strict):
    """What the 'Can I refer?' check says for one result."""

    title: str
    text: str = Field(..., description="what it means and the next step, in a few sentences")
    more: str | None = Field(None, description="sent with the reasons, on 'Why?'")
    offer_handoff: bool = False
    contacts: list[str] = Field(default_factory=list)


class ReferralRules(Sourced):
    """The referral form and the outcomes of the 'Can I refer?' check."""

    form_name: str
    form_page_url: str
    decided_by: str = Field(..., description="who decides whether a request is accepted")
    consent_required: bool = True
    setting_evidence_expected: bool = True
    outcomes: dict[str, Outcome]
    next_steps: dict[str, list[str]] = Field(
        default_factory=dict, description="next steps by requester role"
    )
    unknown_notes: dict[str, str] = Field(
        default_factory=dict,
        description="what an 'I don't know' to each check question means, by question",
    )

    @validator("outcomes")
    def _required_outcomes(cls, value: dict[str, Outcome]) -> dict[str, Outcome]:  # noqa: N805
        missing = set(REFERRAL_OUTCOMES) - set(value)
        if missing:
            raise ValueError(f"referral outcomes missing: {sorted(missing)}")
        return value


class DsplArea(Sourced):
    """One DSPL (Delivering Special Provision Locally) area."""

    id: int = Field(..., ge=1, le=20)
    name: str
    towns: list[str]
    website: str | None = None
    notes: str | None = None


class Place(Strict):
    """A town or village and the DSPL area(s) it most likely belongs to."""

    areas: list[int] = Field(..., min_items=1)
    stated: bool = Field(..., description="true if a source names it; false if inferred")
    note: str | None = None


class PostcodeDistrict(Strict):
    """A postcode district (e.g. SG1) and where it points."""

    places: str
    areas: list[int] = Field(default_factory=list)
    outside: str | None = Field(None, description="council name if outside the county")
    straddles: bool = False
    stated: bool = True
    ask_places: list[str] = Field(
        default_factory=list, description="places to offer when the district is split"
    )


class OutsidePlace(Strict):
    """A place outside the county, and the council whose Local Offer applies if known."""

    council: str | None = Field(None, description="None: 'the council where you live'")


class Dspl(Sourced):
    """The DSPL areas and the offline lookup tables."""

    intro: str
    county: str = Field(..., description="the county as a live postcode lookup names it")
    example_place: str = Field(..., description="a town to give as an example of a place")
    example_postcodes: list[str] = Field(
        ..., min_items=2, description="postcode districts to give as examples"
    )
    confirm_contact: str = Field(..., description="contact id to confirm an unsure mapping")
    areas: list[DsplArea]
    places: dict[str, Place]
    postcodes: dict[str, PostcodeDistrict]
    outside_places: dict[str, OutsidePlace] = Field(default_factory=dict)
    outside_postcode_areas: dict[str, str | None] = Field(
        default_factory=dict,
        description="postcode area letters (LU, MK) outside the county -> council, if known",
    )
    district_councils: dict[str, list[int]] = Field(
        default_factory=dict, description="district council name -> DSPL areas"
    )

    @root_validator(skip_on_failure=True)
    def _areas_exist(cls, values: dict) -> dict:  # noqa: N805
        ids = {area.id for area in values["areas"]}
        tables = [values["places"], values["postcodes"]]
        for table in tables:
            for key, item in table.items():
                unknown = set(item.areas) - ids
                if unknown:
                    raise ValueError(f"{key} points at unknown DSPL area(s) {sorted(unknown)}")
        return values


class SupportGroup(Sourced):
    """A support group or network that families or settings can contact."""

    id: str
    name: str
    short: str = Field(..., description="one line for the chat's list of groups (the summary "
                       "is shown when the person asks about this group)")
    summary: str
    areas: list[int] | None = Field(None, description="DSPL areas; None means county-wide")
    needs: list[str] = Field(..., min_items=1, description="need tags, 'any' for all")
    contact: Contact | None = None
    caution: str | None = None


class CouncilInfo(Sourced):
    """Who this content is for."""

    id: str
    name: str
    service_name: str
    local_offer_url: str
    assistant_name: str
    area_names: list[str] = Field(
        default_factory=list,
        description="what people call the council's area: a word that "
        "describes a nursery there, never its name",
    )


class Content(Strict):
    """A council's whole content file."""

    council: CouncilInfo
    contacts: dict[str, Contact]
    human_route: list[str] = Field(..., min_items=1)
    safeguarding: Topic
    eligibility: Eligibility
    topics: dict[str, Topic]
    referral: ReferralRules
    dspl: Dspl | None = None
    no_dspl: Topic | None = Field(None, description="answer when the council has no DSPLs")
    support_groups: list[SupportGroup]
    need_keywords: dict[str, list[str]] = Field(
        ..., description="need tag -> words a user might type"
    )

    @root_validator(skip_on_failure=True)
    def _references_exist(cls, values: dict) -> dict:  # noqa: N805
        contacts = values["contacts"]
        wanted: list[tuple[str, str]] = [("human_route", cid) for cid in values["human_route"]]
        wanted += [("safeguarding", cid) for cid in values["safeguarding"].contacts]
        for key, topic in values["topics"].items():
            wanted += [(f"topics.{key}", cid) for cid in topic.contacts]
        for key, outcome in values["referral"].outcomes.items():
            wanted += [(f"referral.outcomes.{key}", cid) for cid in outcome.contacts]
        if values.get("dspl"):
            wanted.append(("dspl.confirm_contact", values["dspl"].confirm_contact))
        missing = [f"{where} -> {cid}" for where, cid in wanted if cid not in contacts]
        if missing:
            raise ValueError("unknown contact id(s): " + ", ".join(missing))
        if values.get("dspl") is None and values.get("no_dspl") is None:
            raise ValueError("a council without DSPLs needs a 'no_dspl' answer")
        tags = set(values["need_keywords"]) | {"any"}
        for group in values["support_groups"]:
            unknown = set(group.needs) - tags
            if unknown:
                raise ValueError(f"support group {group.id} has unknown need(s) {sorted(unknown)}")
        missing_topics = REQUIRED_TOPICS - set(values["topics"])
        if missing_topics:
            raise ValueError(f"topics missing: {sorted(missing_topics)}")
        return values


REQUIRED_TOPICS = {
    "who_for",
    "diagnosis",
    "how_to_refer",
    "consent",
    "evidence_setting",
    "evidence_parent",
    "graduated_approach",
    "behaviour",
    "after_referral",
    "team",
    "centres",
    "ehcp",
    "funding",
    "over_age",
    "human_route",
    "about_assistant",
    "out_of_scope",
    "not_known",  # the answer to a question whose topic this council's content lacks
}
