"""Rebuild the word lists ``bot.guidance.privacy.names`` uses to tell a name from a word.

Run by hand when the lists need changing (not at build or run time)::

    apt-get install wbritish && .venv/bin/python scripts/privacy_words.py

* ``bot/guidance/privacy/common_words.txt``: English words as people type them in lower case, from
  SCOWL's British English list (Debian's ``wbritish``, the lower-case entries), the words of
  the training data (``data/nlu``) and ``EXTRA`` below (apostrophe-less contractions,
  text-speak and the service's own terms). A word in this list is not taken for a name
  when it is typed in lower case.
* ``bot/guidance/privacy/given_names.txt``: capitalised SCOWL entries that are also ordinary words
  ("Grace", "Will", "Rose"): typed with a capital after "my daughter" or "I'm", they are
  names.
* ``bot/guidance/privacy/given_lower.txt``: those of them that are names even in lower case after
  "my
  son" ("my son jack"): all but the words the training data types in lower case ("will",
  "may") and ``VERBS``.

SCOWL is Copyright 2000-2011 Kevin Atkinson, used under its permission notice (use, copy,
modify and distribute freely, with the notice kept): see ``/usr/share/doc/wbritish/copyright``.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/dict/british-english")
OUT = ROOT / "bot" / "privacy"
EXTRA = """
im ive id dont doesnt didnt cant wont isnt arent wasnt werent hasnt havent hadnt shouldnt
wouldnt couldnt thats whats hes shes theyre theyve youre weve lets its ill itll theres
wheres whos hows yall gonna wanna gotta kinda sorta dunno
pls plz thx ty tbh atm tmrw tmr u ur r ok okay yep yeah yea nope hiya lol omg idk asap btw
fyi imo xx xxx hun hunny mum mums mummy nan nanny grandad gran grandma grandpa
mindee mindees childminder childminders childminding senco sencos sendco ehcp ehcps ehcna
apdr iep ieps salt slt paed paeds paediatrician preschool preschools preschooler
preschoolers nonverbal autistic adhd asd dspl dla daf sendiass ipsea herts wellcomm
makaton portage pvi sen send ey eyfs eyag sdc sdcs ido idos ot physio hv fsw sw
referal referral referrals refered referred safeguarding keyworker keyworkers
"""


VERBS = "will may can drew rose mark pat sue rob bill sat said art sang ray won hope"


def typed_words() -> set[str]:
    """Words the training data types in lower case."""
    words: set[str] = set()
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            for line in (block.get("examples") or "").splitlines():
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip()[2:])
                words.update(t for t in re.findall(r"[A-Za-z]+", text) if t.islower())
    return words


def lower_words() -> set[str]:
    """Lower-case words from SCOWL, the training data and EXTRA."""
    words = {w for w in SOURCE.read_text(encoding="utf-8").split() if w.islower() and "'" not in w}
    words |= typed_words()
    words.update(EXTRA.split())
    return {w for w in words if w.isascii() and w.isalpha()}


def main() -> None:
    common = lower_words()
    proper = {w for w in SOURCE.read_text(encoding="utf-8").split() if w[:1].isupper()}
    given = sorted(w for w in proper if w.isalpha() and w[1:].islower() and w.lower() in common)
    (OUT / "common_words.txt").write_text("\n".join(sorted(common)) + "\n")
    (OUT / "given_names.txt").write_text("\n".join(given) + "\n")
    skip = typed_words() | set(VERBS.split())
    lower = sorted(w.lower() for w in given if w.lower() not in skip)
    (OUT / "given_lower.txt").write_text("\n".join(lower) + "\n")
    print(f"{len(common)} common words, {len(given)} names that are also words")


if __name__ == "__main__":
    main()
