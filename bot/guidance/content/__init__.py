"""Loading and validating a council's content file.

The council is chosen by the ``BOT_COUNCIL`` environment variable
(default ``hertfordshire``); its file is ``bot/guidance/content/<council>.yml``, or
``$CONTENT_DIR/<council>.yml`` when ``CONTENT_DIR`` is set (tests, deployments).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot import settings
from bot.guidance.content.schema import Contact, Content

CONTENT_DIR = Path(__file__).resolve().parent
DEFAULT_COUNCIL = settings.BOT_COUNCIL.default
_COUNCIL_RE = re.compile(r"^[a-z][a-z0-9_-]{1,40}$")


class ContentError(RuntimeError):
    """The content file is missing or does not match the schema."""


def council_id() -> str:
    """The council chosen by configuration."""
    return settings.BOT_COUNCIL.read().lower()


def content_dir() -> Path:
    """Where content files are read from: ``CONTENT_DIR`` if set, else this package."""
    override = settings.CONTENT_DIR.read()
    return Path(override) if override else CONTENT_DIR


def content_path(council: str) -> Path:
    """Path of a council's content file."""
    if not _COUNCIL_RE.match(council):
        raise ContentError(f"BOT_COUNCIL={council!r} is not a valid council name")
    return content_dir() / f"{council}.yml"


def parse_content(path: Path) -> Content:
    """Read and validate one content file, raising ContentError with a readable message."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ContentError(f"content file not found: {path}") from err
    except yaml.YAMLError as err:
        raise ContentError(f"content file {path} is not valid YAML: {err}") from err
    if not isinstance(raw, dict):
        raise ContentError(f"content file {path} must hold a mapping at the top level")
    try:
        return Content.parse_obj(raw)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()
        )
        raise ContentError(f"content file {path} is invalid: {problems}") from err


@functools.lru_cache(maxsize=4)
def load_content(council: str | None = None) -> Content:
    """The validated content for a council (cached: read once per process)."""
    return parse_content(content_path(council or council_id()))


def contacts_for(content: Content, ids: list[str]) -> list[Contact]:
    """The contacts with the given ids, in order."""
    return [content.contacts[cid] for cid in ids]


def load_measured() -> dict:
    """The published understanding figures (bot/guidance/content/measured.yml)."""
    return yaml.safe_load((CONTENT_DIR / "measured.yml").read_text(encoding="utf-8"))


def council_ids() -> list[str]:
    """Every council with a content file (the other files here, such as languages.yml and
    measured.yml, are shared by all councils)."""
    return sorted(
        path.stem for path in content_dir().glob("*.yml")
        if "\ncouncil:" in "\n" + path.read_text(encoding="utf-8")
    )
