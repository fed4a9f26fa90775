"""Start Rasa with the project's overrides installed: ``python -m bot.rasa_plugins.run run ...``.

It takes the arguments of the ``rasa`` command, installs everything :mod:`bot.internals`
replaces in Rasa (once, before Rasa loads a model or a tracker store), then hands over to
Rasa's own command line. The launcher, the systemd units and the tests start every Rasa
server this way, so no override depends on which plug-in Rasa happens to load first.
"""

from __future__ import annotations

import sys

from bot import internals


def main() -> None:
    """Install the overrides, then run Rasa's command line on this process's arguments."""
    internals.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
