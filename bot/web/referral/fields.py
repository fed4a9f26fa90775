"""The service request form: its questions, how they are pre-filled and how they are checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.guidance.parsing import ROLE_LABELS
from bot.web.params import raw_values
from bot.web.referral.handoff import age_text
from bot.web.sanitize import clean_field

YES_NO = (("yes", "Yes"), ("no", "No"))
YES_NO_UNSURE = (("yes", "Yes"), ("no", "No"), ("unsure", "Not sure"))
ROLES = tuple(ROLE_LABELS.items())


@dataclass(frozen=True)
class Field:
    """One question on the form."""

    name: str
    kind: str  # "radios", "checkboxes", "text" or "textarea"
    label: str
    error: str = ""  # message when a required answer is missing; "" means optional
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()

    @property
    def required(self) -> bool:
        """True when the question must be answered."""
        return bool(self.error)


@dataclass(frozen=True)
class Section:
    """A group of questions under one heading."""

    title: str
    fields: tuple[Field, ...]


def form_sections(concerns: tuple[tuple[str, str], ...]) -> tuple[Section, ...]:
    """The sections of the form, with the concern options to offer."""
    return (
        Section(
            "About you",
            (
                Field(
                    "role",
                    "radios",
                    "Who is making this request?",
                    "Select who you are",
                    options=ROLES,
                ),
            ),
        ),
        Section(
            "About the child",
            (
                Field(
                    "child_age",
                    "text",
                    "How old is the child?",
                    "Enter the child's age",
                    hint="For example, 2 years 6 months.",
                ),
                Field(
                    "attends_setting",
                    "radios",
                    "Does the child go to a nursery, pre-school or childminder?",
                    "Select yes if the child goes to a nursery, pre-school or childminder",
                    options=YES_NO,
                ),
                Field(
                    "dspl_area",
                    "text",
                    "DSPL area (optional)",
                    hint="Delivering Special Provision Locally area, if you know it. "
                    "For example, DSPL 1.",
                ),
            ),
        ),
        Section(
            "What you have noticed",
            (
                Field(
                    "concerns",
                    "checkboxes",
                    "Which areas are you concerned about?",
                    "Select at least one area you are concerned about",
                    hint="Select all that apply.",
                    options=concerns,
                ),
                Field(
                    "worries",
                    "textarea",
                    "What have you noticed?",
                    "Describe what you have noticed",
                    hint="What does the child find difficult, and when? Do not include "
                    "the child's name: you will add it on the official form.",
                ),
            ),
        ),
        Section(
            "Support so far",
            (
                Field(
                    "support_tried",
                    "radios",
                    "Has the setting already put extra support in place? (optional)",
                    options=YES_NO_UNSURE,
                ),
                Field(
                    "support_details",
                    "textarea",
                    "What support has been tried, and what happened? (optional)",
                ),
            ),
        ),
        Section(
            "Agreement",
            (
                Field(
                    "consent",
                    "radios",
                    "Have the child's parents or carers agreed to this request?",
                    "Select whether the parents or carers have agreed",
                    options=YES_NO_UNSURE,
                ),
            ),
        ),
    )


def all_fields(sections: tuple[Section, ...]) -> list[Field]:
    """The questions of every section, in order."""
    return [f for s in sections for f in s.fields]


def concern_choices(
    handoff: Mapping[str, Any], defaults: list[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    """Concern options: the ones the assistant gathered first, then the council's other areas."""
    keys = list(handoff.get("concern_areas") or [])
    labels = list(handoff.get("concern_area_labels") or [])
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for i, key in enumerate(keys):
        label = labels[i] if i < len(labels) else key.replace("_", " ").capitalize()
        if key not in seen:
            out.append((key, label))
            seen.update({key, label.lower()})
    for key, label in defaults:
        if key not in seen and label.lower() not in seen:
            out.append((key, label))
            seen.update({key, label.lower()})
    return tuple(out)


def prefill(handoff: Mapping[str, Any]) -> dict[str, Any]:
    """Form answers taken from what the assistant gathered."""
    values: dict[str, Any] = {}
    role = handoff.get("requester_role")
    if role:
        values["role"] = role if role in dict(ROLES) else "other"
    if age := age_text(dict(handoff)):
        values["child_age"] = age
    if isinstance(handoff.get("attends_setting"), bool):
        values["attends_setting"] = "yes" if handoff["attends_setting"] else "no"
    if handoff.get("dspl_area"):
        values["dspl_area"] = handoff["dspl_area"]
    if handoff.get("concern_areas"):
        values["concerns"] = list(handoff["concern_areas"])
    if handoff.get("setting_support_tried") in dict(YES_NO_UNSURE):
        values["support_tried"] = handoff["setting_support_tried"]
    if handoff.get("parental_consent") in dict(YES_NO_UNSURE):
        values["consent"] = handoff["parental_consent"]
    if handoff.get("noticed"):
        values["worries"] = handoff["noticed"]
    if handoff.get("support_details"):
        values["support_details"] = handoff["support_details"]
    return values


def read_form(
    form: Mapping[str, list[str]], fields: list[Field], max_chars: int
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean the posted answers and return (answers, errors by field name)."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        raw = raw_values(form, f.name)
        if f.kind == "checkboxes":
            allowed = dict(f.options)
            value: Any = [v for v in dict.fromkeys(raw) if v in allowed]
        elif f.kind == "radios":
            value = raw[0] if raw and raw[0] in dict(f.options) else ""
        else:
            limit = max_chars if f.kind == "textarea" else 200
            value = clean_field(raw[0], limit, multiline=f.kind == "textarea") if raw else ""
        answers[f.name] = value
        if f.required and not value:
            errors[f.name] = f.error
    return answers, errors


def answer_text(f: Field, value: Any) -> str:
    """An answer as words for the summary and the e-mail."""
    options = dict(f.options)
    if isinstance(value, list):
        chosen: list[str] = value  # the option keys that were picked
        return ", ".join(options.get(v, v) for v in chosen)
    return options.get(value, value) if value else ""
