"""The 'Can I refer?' check: which questions to ask, and what the answers suggest.

The outcome is guidance, never a decision: whether a request is accepted is for
the service (named in the content file) to decide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.guidance.content.schema import Content
from bot.guidance.parsing import ROLE_LABELS, describe_age

SETTING_ROLES = ("setting", "childminder")

QUESTION_ORDER = (
    "requester_role",
    "child_age_months",
    "attends_setting",
    "concern_areas",
    "setting_support_tried",
    "parental_consent",
)


UNSURE = "unsure"


@dataclass(frozen=True)
class Answers:
    """What the person has told the referral check so far.

    ``unknown`` names the questions answered "I don't know": they count as answered, and
    the outcome says what not knowing means.
    """

    requester_role: str | None = None
    child_age_months: int | None = None
    attends_setting: bool | None = None
    concern_areas: list[str] | None = None
    setting_support_tried: str | None = None
    parental_consent: str | None = None
    unknown: frozenset[str] = frozenset()
    relation: str | None = None
    setting_kind: str | None = None
    noticed: str | None = None
    support_details: str | None = None
    diagnoses: tuple[str, ...] = ()

    @classmethod
    def from_slots(cls, slots: dict[str, Any]) -> Answers:
        """Build from Rasa slot values (missing slots are None; "unsure" is not knowing)."""
        unknown = {name for name in QUESTION_ORDER if slots.get(name) == UNSURE}
        age = slots.get("child_age_months")
        attends: Any = slots.get("attends_setting")  # "yes", "no", "unsure", a bool or None
        return cls(
            requester_role=slots.get("requester_role"),
            child_age_months=int(age) if isinstance(age, int | float) else None,
            attends_setting={"yes": True, "no": False}.get(attends, attends)
            if attends != UNSURE else None,
            concern_areas=slots.get("concern_areas"),
            setting_support_tried=slots.get("setting_support_tried"),
            parental_consent=slots.get("parental_consent"),
            unknown=frozenset(unknown - {"setting_support_tried", "parental_consent"}),
            relation=slots.get("requester_relation"),
            setting_kind=slots.get("setting_kind"),
            noticed=slots.get("concern_detail"),
            support_details=slots.get("support_detail"),
            diagnoses=tuple(slots.get("diagnosis") or ()),
        )

    def answered(self, slot: str) -> bool:
        """True when the check has an answer (or an "I don't know") for this question."""
        return slot in self.unknown or getattr(self, slot) is not None

    @property
    def in_setting(self) -> bool | None:
        """A setting or childminder asking means the child is in a setting."""
        if self.requester_role in SETTING_ROLES:
            return True
        return self.attends_setting


def questions_needed(answers: Answers, content: Content) -> list[str]:
    """The slots the form must fill, in order, given what is known so far."""
    needed = ["requester_role", "child_age_months"]
    age = answers.child_age_months
    if age is not None and age >= content.eligibility.max_age_months:
        return needed
    if answers.requester_role not in SETTING_ROLES:
        needed.append("attends_setting")
    needed.append("concern_areas")
    if answers.in_setting:
        needed.append("setting_support_tried")
    needed.append("parental_consent")
    return needed


def questions_left(answers: Answers, content: Content) -> list[str]:
    """The questions still to ask, in order."""
    return [slot for slot in questions_needed(answers, content) if not answers.answered(slot)]


@dataclass
class Assessment:
    """The result of the check: an outcome key and the reasons behind it."""

    outcome: str
    reasons: list[str] = field(default_factory=list)


# What the setting's answer to "has it tried extra support?" means: the reason, and the
# outcome it settles (None: the check goes on).
SUPPORT_TRIED = {
    "no": ("The setting has not yet tried extra support and reviewed it.", "graduated_first"),
    "unsure": ("It's not clear yet what extra support the setting has tried.",
               "check_with_setting"),
    "yes": ("The setting has tried extra support and reviewed it.", None),
}


def assess(answers: Answers, content: Content) -> Assessment:
    """Pick the outcome that fits the answers, with plain reasons."""
    elig = content.eligibility
    reasons: list[str] = []
    age = answers.child_age_months
    upper = f"birth to {elig.max_age_months // 12}"
    if age is not None:
        if age >= elig.max_age_months:
            limit = (elig.transition_max_years or 0) * 12
            reasons.append(
                f"Age {describe_age(age)}: the team works with children from {upper}."
            )
            if limit and age < limit:
                return Assessment("transition_only", reasons)
            return Assessment("over_age", reasons)
        reasons.append(f"Age {describe_age(age)}: within the team's age range ({upper}).")
    reasons.extend(unknown_notes(answers, content, ("child_age_months",)))

    labels = area_labels(answers.concern_areas or [], content)
    if labels:
        reasons.append("Worries about: " + ", ".join(labels).lower() + ".")

    consent = answers.parental_consent
    # A parent is told it is their decision; anyone else is asked to talk to the parents.
    consent_outcome = "parent_to_decide" if answers.requester_role == "parent" else "consent_needed"
    if consent == "no":
        reasons.append("Parents have not agreed yet: their consent is needed.")
        return Assessment(consent_outcome, reasons)
    if answers.concern_areas == ["unsure"]:
        reasons.append("It's not yet clear which area of need the worry is about.")
        return Assessment("not_sure_needs", reasons)
    if answers.in_setting and answers.setting_support_tried in SUPPORT_TRIED:
        reason, outcome = SUPPORT_TRIED[answers.setting_support_tried]
        reasons.append(reason)
        if outcome:
            return Assessment(outcome, reasons)
    elif answers.in_setting is False:
        reasons.append("Not in a setting yet: no setting evidence is needed.")
    reasons.extend(unknown_notes(answers, content, ("attends_setting",)))
    if consent == "unsure":
        reasons.append("Parents' agreement still needs to be checked.")
        return Assessment(consent_outcome, reasons)
    if consent == "yes":
        reasons.append("Parents agree to the referral.")
    return Assessment("refer_now", reasons)


def unknown_notes(answers: Answers, content: Content, slots: tuple[str, ...]) -> list[str]:
    """What not knowing each of these answers means, from the council's content."""
    notes = content.referral.unknown_notes
    return [notes[slot] for slot in slots if slot in answers.unknown and slot in notes]


def area_labels(keys: list[str], content: Content) -> list[str]:
    """Human labels for area-of-need keys ('unsure' is left out)."""
    labels = {area.key: area.label for area in content.eligibility.areas_of_need}
    return [labels[key] for key in keys if key in labels]


def handoff_payload(
    answers: Answers,
    assessment: Assessment,
    content: Content,
    dspl_area: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The structured summary the web page turns into a pre-filled request.

    Holds no name or contact details of the child or family.
    """
    referral = content.referral
    outcome = referral.outcomes[assessment.outcome]
    role = answers.requester_role or "other"
    contacts = [
        {k: v for k, v in contact.dict(include={"name", "phone", "email", "url", "note"}).items()
         if v}
        for contact in (content.contacts[cid] for cid in outcome.contacts or content.human_route)
    ]
    return {
        "council": content.council.id,
        "council_name": content.council.name,
        "service_name": content.council.service_name,
        "requester_role": role,
        "requester_role_label": ROLE_LABELS.get(role, ROLE_LABELS["other"]),
        "child_age_months": answers.child_age_months,
        "child_age_text": (
            describe_age(answers.child_age_months)
            if answers.child_age_months is not None
            else None
        ),
        "attends_setting": answers.in_setting,
        "concern_areas": [a for a in answers.concern_areas or [] if a != "unsure"],
        "concern_area_labels": area_labels(answers.concern_areas or [], content),
        "setting_support_tried": answers.setting_support_tried,
        "parental_consent": answers.parental_consent,
        "noticed": answers.noticed,
        "support_details": answers.support_details,
        "diagnoses": list(answers.diagnoses),
        "dspl_area": dspl_area,
        "outcome": assessment.outcome,
        "outcome_title": outcome.title,
        "reasons": assessment.reasons,
        "next_steps": list(referral.next_steps.get(role, referral.next_steps.get("other", []))),
        "form_name": referral.form_name,
        "form_page_url": referral.form_page_url,
        "decided_by": referral.decided_by,
        "contacts": contacts,
        "created": (today or dt.date.today()).isoformat(),
    }


def answers_as_dict(answers: Answers) -> dict[str, Any]:
    """Plain dict of the answers (for logs and tests)."""
    return asdict(answers)
