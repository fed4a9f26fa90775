"""Check a content file: ``python -m bot.guidance.content [council]`` fails if it is broken."""

from __future__ import annotations

import sys

from bot.guidance.content import ContentError, council_id, load_content


def main(argv: list[str]) -> int:
    """Validate the council's content and print a one-line summary."""
    council = argv[1] if len(argv) > 1 else council_id()
    try:
        content = load_content(council)
    except ContentError as err:
        print(f"Content check failed: {err}", file=sys.stderr)
        return 1
    groups = len(content.support_groups)
    areas = len(content.dspl.areas) if content.dspl else 0
    print(
        f"Content OK: {content.council.name}: {len(content.topics)} topics, "
        f"{areas} DSPL areas, {groups} support groups"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
