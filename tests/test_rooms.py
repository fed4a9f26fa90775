"""The code's rooms say who loads them, and each room only reaches where it should.

- bot/guidance: pure logic (what the assistant knows and says): nothing from Rasa, Sanic or
  the web, and no other room of the project.
- bot/storage: files and tables; no Rasa, no Sanic, no web, no operations.
- bot/rasa_plugins: what Rasa loads; not the web or the operations.
- bot/web: the gateway; not Rasa's plug-ins.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

BOT = ROOT / "bot"
FORBIDDEN = {
    "guidance": ("rasa", "rasa_sdk", "sanic", "bot.web", "bot.rasa_plugins", "bot.operations",
                 "bot.storage", "actions"),
    "storage": ("rasa_sdk", "sanic", "bot.web", "bot.operations", "bot.rasa_plugins",
                "actions"),
    "rasa_plugins": ("sanic_testing", "bot.web", "bot.operations", "actions"),
    "web": ("rasa", "rasa_sdk", "bot.rasa_plugins", "actions"),
}


def imported(path: Path) -> set[str]:
    """Every module a file imports (top-level and inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_each_room_imports_only_what_it_may(room: str) -> None:
    broken = []
    for path in sorted((BOT / room).rglob("*.py")):
        for name in imported(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[room]):
                broken.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not broken, "\n".join(broken)


# Shared by every room: where the repository is, the settings, and the one door into the
# private parts of Rasa and Sanic.
SHARED = ("__init__.py", "paths.py", "settings.py", "internals.py")


def test_nothing_is_left_loose_in_bot() -> None:
    loose = sorted(p.name for p in BOT.glob("*.py") if p.name not in SHARED)
    assert not loose, f"modules outside a room: {loose}"
