"""Start the whole assistant: action server, Rasa, and the web gateway.

``python -m bot.launcher`` first checks the content file and the data folder
(``bot.preflight``) and refuses to start, exit code 2, if either is broken. Then it
starts each process on loopback, waits until each answers its health check, prints
the address to open, and stops everything when one of them stops or on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.deploy_profile import Profile, ProfileError, resolve

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 180


@dataclass
class Service:
    """One process to start, and the URL that says it is ready."""

    name: str
    command: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)
    stage: int = 0  # services of one stage start together; stages start in order


def rasa_command(
    port: int,
    model: str = "models",
    endpoints: str = "endpoints.yml",
    credentials: str = "credentials.yml",
) -> list[str]:
    """The command that starts one Rasa server on loopback."""
    rasa = str(Path(sys.executable).with_name("rasa"))
    return [
        rasa, "run", "--interface", "127.0.0.1", "--port", str(port),
        "--model", model, "--endpoints", endpoints,
        "--credentials", credentials,
    ]


def services(profile: Profile | None = None) -> list[Service]:
    """The processes `make run` starts, configured from the environment."""
    profile = profile or resolve(os.environ, ROOT)
    py = sys.executable
    action_port = int(os.environ.get("ACTION_SERVER_PORT", "5055"))
    gateway_port = int(os.environ.get("GATEWAY_PORT", "8000"))
    found = [
        Service("actions", [py, "-m", "bot.action_server"],
                f"http://127.0.0.1:{action_port}/health"),
    ]
    for i, port in enumerate(profile.rasa_ports):
        name = "rasa" if len(profile.rasa_ports) == 1 else f"rasa-{i + 1}"
        command = rasa_command(port, "models", profile.endpoints, profile.credentials)
        found.append(Service(name, command, f"http://127.0.0.1:{port}/", stage=1))
    if (ROOT / "bot" / "web" / "__main__.py").exists():
        found.append(
            Service("gateway", [py, "-m", "bot.web"], f"http://127.0.0.1:{gateway_port}/health",
                    stage=2)
        )
    return found


def wait_until_ready(url: str, process: subprocess.Popen, timeout: float) -> bool:
    """Poll the health URL until it answers 200, the process dies, or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def refuse_if_broken() -> bool:
    """Print every start-up problem and return True if there is one (nothing started yet)."""
    from bot.preflight import problems

    found = problems()
    for problem in found:
        print(f"Not starting the assistant: {problem}", file=sys.stderr)
    return bool(found)


def main() -> int:
    """Start everything, print the URL, and keep running until stopped."""
    if refuse_if_broken():
        return 2
    started: list[tuple[Service, subprocess.Popen]] = []
    try:
        profile = resolve(os.environ, ROOT)
    except ProfileError as err:
        print(f"Not starting: {err}", file=sys.stderr)
        return 2
    env = {**os.environ, **profile.env, "PYTHONPATH": str(ROOT)}

    def stop_all(*_: object) -> None:
        for _, process in reversed(started):
            if process.poll() is None:
                process.terminate()
        for _, process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop_all(), sys.exit(0)))
    began = time.monotonic()
    try:
        all_services = services(profile)
        for stage in sorted({s.stage for s in all_services}):
            group = [s for s in all_services if s.stage == stage]
            for service in group:
                process = subprocess.Popen(service.command, cwd=ROOT, env={**env, **service.env})
                started.append((service, process))
            for service, process in started[-len(group):]:
                if not wait_until_ready(service.health_url, process, START_TIMEOUT_SECONDS):
                    print(f"\n{service.name} did not start; see the messages above.",
                          file=sys.stderr)
                    stop_all()
                    return 1
                print(f"{service.name} is ready ({service.health_url})", flush=True)
        names = [s.name for s, _ in started]
        print(f"\nStarted {', '.join(names)} in {time.monotonic() - began:.1f} s.")
        if "gateway" in names:
            port = os.environ.get("GATEWAY_PORT", "8000")
            print(f"\n  open http://localhost:{port}\n", flush=True)
        else:
            print(f"\n  Rasa REST channel: {profile.rasa_urls[0]}/webhooks/rest/webhook\n")
        while all(process.poll() is None for _, process in started):
            time.sleep(1)
        dead = [s.name for s, p in started if p.poll() is not None]
        print(f"{', '.join(dead)} stopped; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
