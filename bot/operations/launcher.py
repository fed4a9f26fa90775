"""Start the whole assistant and keep it running: action server, Rasa, and the web gateway.

``python -m bot.operations.launcher`` (what ``make run`` calls) first checks the content file and
the
data folder (``bot.operations.preflight``) and refuses to start, exit code 2, if either is broken.
Then it prepares the tracker store's database once (``python -m bot.operations.schema``), starts
each
process on loopback, waits until each answers its health check, and prints the address
to open. From then on it is a supervisor (:mod:`bot.operations.supervisor`): a process that stops is
started again, with a growing pause, while the others carry on; one that keeps crashing
stops everything with a message naming it. Ctrl-C or SIGTERM stops everything.

:func:`services` is the one definition of the processes, their commands and their
environment: the systemd units in ``deploy/systemd/`` are generated from it
(``python -m bot.operations.units``).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path

from bot import settings
from bot.operations.deploy_profile import Profile, ProfileError, resolve
from bot.operations.supervisor import Service, Supervisor
from bot.paths import REPO

ROOT = REPO
# What every process gets besides the profile's settings (the Makefile exports the same).
BASE_ENV: dict[str, str] = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}

__all__ = ["BASE_ENV", "Service", "environment", "main", "rasa_command", "services"]


def rasa_command(
    port: int,
    model: str = "models",
    endpoints: str = "endpoints.yml",
    credentials: str = "credentials.yml",
    python: str | None = None,
) -> list[str]:
    """The command that starts one Rasa server on loopback (never with ``--enable-api``).

    Through :mod:`bot.rasa_plugins.run`, which installs the project's overrides of Rasa
    (:mod:`bot.internals`) before handing over to Rasa's command line.
    """
    return [
        python or sys.executable, "-m", "bot.rasa_plugins.run",
        "run", "--interface", "127.0.0.1", "--port", str(port),
        "--model", model, "--endpoints", endpoints,
        "--credentials", credentials,
    ]


def services(
    profile: Profile | None = None,
    env: Mapping[str, str] | None = None,
    python: str | None = None,
) -> list[Service]:
    """The processes `make run` starts, in stages, configured from the environment."""
    env = settings.environment() if env is None else env
    profile = profile or resolve(env, ROOT)
    py = python or sys.executable
    action_port = settings.ACTION_SERVER_PORT.read(env)
    gateway_port = settings.GATEWAY_PORT.read(env)
    found = [
        Service("schema", [py, "-m", "bot.operations.schema"], oneshot=True,
                description="create the tracker store's database and tables"),
        Service("actions", [py, "-m", "bot.operations.action_server"],
                f"http://127.0.0.1:{action_port}/health",
                description=f"action server on 127.0.0.1:{action_port}"),
    ]
    for i, port in enumerate(profile.rasa_ports):
        name = "rasa" if len(profile.rasa_ports) == 1 else f"rasa-{i + 1}"
        command = rasa_command(port, "models", profile.endpoints, profile.credentials, py)
        found.append(Service(name, command, f"http://127.0.0.1:{port}/", stage=1,
                             description=f"Rasa on 127.0.0.1:{port}"))
    if (ROOT / "bot" / "web" / "__main__.py").exists():
        host = settings.GATEWAY_HOST.read(env)
        found.append(
            Service("gateway", [py, "-m", "bot.web"], f"http://127.0.0.1:{gateway_port}/health",
                    stage=2, description=f"web gateway on {host}:{gateway_port}")
        )
    return found


def environment(profile: Profile, root: Path = ROOT) -> dict[str, str]:
    """What the launcher adds to every process's environment (the units set the same)."""
    return {**BASE_ENV, **profile.env, "PYTHONPATH": str(root)}


def refuse_if_broken() -> bool:
    """Print every start-up problem and return True if there is one (nothing started yet)."""
    from bot.operations.preflight import problems

    found = problems()
    for problem in found:
        print(f"Not starting the assistant: {problem}", file=sys.stderr)
    return bool(found)


def _stop_on_sigterm(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    """Start everything, print the URL, and keep it running until stopped."""
    if refuse_if_broken():
        return 2
    try:
        profile = resolve(settings.environment(), ROOT)
    except ProfileError as err:
        print(f"Not starting: {err}", file=sys.stderr)
        return 2
    env = {**os.environ, **environment(profile)}
    supervisor = Supervisor(services(profile), env, ROOT)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        if not supervisor.start():
            return 1
        names = [w.service.name for w in supervisor.watched if not w.service.oneshot]
        print(f"\nStarted {', '.join(names)}.")
        if "gateway" in names:
            port = settings.GATEWAY_PORT.read()
            print(f"\n  open http://localhost:{port}\n", flush=True)
        else:
            print(f"\n  Rasa REST channel: {profile.rasa_urls[0]}/webhooks/rest/webhook\n")
        return supervisor.run()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        supervisor.stop()


if __name__ == "__main__":
    sys.exit(main())
