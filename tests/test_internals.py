"""The one door into Rasa's internals (bot/internals.py) still fits the installed Rasa.

Every private or overridden symbol of Rasa, rasa-sdk and Sanic the project relies on is
listed there with the signature it had; a test here fails, naming the override to revisit,
when an upgrade changes one. The overrides are installed at start-up, through
bot/rasa_plugins/run.py, and nowhere else.
"""

from __future__ import annotations

import re

import pytest

from bot import internals
from bot.operations.launcher import services
from tests.conftest import ROOT


@pytest.mark.parametrize("item", internals.PRIVATE, ids=lambda p: p.target)
def test_each_private_symbol_is_as_recorded(item: internals.Private) -> None:
    now = internals.observed(item)
    assert now == item.recorded, (
        f"{item.target} ({item.how}) changed: recorded {item.recorded!r}, now {now!r}. "
        f"Revisit {item.used_in}: {item.reason}."
    )


def test_nothing_listed_has_changed_after_install() -> None:
    internals.install()
    assert internals.changed() == []


def test_install_replaces_each_patched_method_once() -> None:
    internals.install()
    patched = [p for p in internals.PRIVATE if p.how == internals.PATCHED]
    before = {p.target: getattr(*internals.resolve(p.target)) for p in patched}
    internals.install()  # idempotent: nothing is wrapped twice
    for item in patched:
        now = getattr(*internals.resolve(item.target))
        assert now is before[item.target]
        assert now is not internals.original(item.target), f"{item.target} is not replaced"


def test_each_entry_names_a_file_that_exists() -> None:
    for item in internals.PRIVATE:
        first = item.used_in.split()[0].rstrip(",")
        assert (ROOT / first).is_file(), f"{item.target}: {first} does not exist"


def test_every_private_method_reached_through_super_is_listed() -> None:
    listed = {internals.resolve(p.target)[1] for p in internals.PRIVATE}
    used = set()
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "actions").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"super\(\)\.(_[a-z]\w*)\(", text))
        used |= set(re.findall(r"self\.(_extract_\w+)\(", text))
    assert used <= listed, f"private Rasa methods used but not in bot/internals.py: {used - listed}"


def test_every_rasa_server_starts_through_the_entry_module() -> None:
    rasa = [s for s in services(env={}) if s.name.startswith("rasa")]
    assert rasa
    for service in rasa:
        assert service.command[1:4] == ["-m", "bot.rasa_plugins.run", "run"], service.command


def test_overrides_are_installed_only_at_start_up() -> None:
    """Not as a side effect of a tracker store's constructor or a channel's blueprint()."""
    callers = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot").rglob("*.py")
        if "install()" in path.read_text(encoding="utf-8")
    )
    assert callers == ["bot/internals.py", "bot/rasa_plugins/run.py"]


def test_every_form_reads_through_the_one_base_class() -> None:
    from rasa_sdk.forms import FormValidationAction

    import actions.dspl
    import actions.referral
    from actions.forms import ReadingFormValidation

    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        return found.union(*(subclasses(c) for c in found)) if found else found

    ours = {c for c in subclasses(FormValidationAction) if c.__module__.startswith("actions")}
    assert {actions.dspl.ValidateDsplForm, actions.referral.ValidateReferralForm} <= ours
    assert all(issubclass(c, ReadingFormValidation) for c in ours), ours
