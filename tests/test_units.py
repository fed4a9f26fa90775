"""deploy/: the systemd units are what the launcher's definition gives, and they verify; the
nginx site has the limits the gateway expects."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.operations.deploy_profile import MULTI_INSTANCE_DEFAULTS
from bot.operations.launcher import services
from bot.operations.units import OUT, PRODUCTION, units
from bot.web.config import GatewayConfig

ROOT = Path(__file__).resolve().parents[1]
NGINX = ROOT / "deploy" / "nginx" / "eysend.conf"


def test_the_committed_units_are_generated_from_the_launcher() -> None:
    """Edit bot/operations/launcher.py and run `python -m bot.operations.units`; never the units."""
    wanted = units()
    committed = {p.name: p.read_text() for p in OUT.iterdir()}
    assert committed == wanted


def test_each_unit_runs_what_the_launcher_runs_and_restarts_always() -> None:
    files = units()
    python = "/opt/eysend/.venv/bin/python"
    for service in services(env=PRODUCTION, python=python):
        text = files[f"eysend-{service.name}.service"]
        assert f"ExecStart={' '.join(service.command)}\n" in text
        assert ("Restart=on-failure" if service.oneshot else "Restart=always") in text
        assert "Environment=\"RASA_TELEMETRY_ENABLED=false\"" in text
        assert "EnvironmentFile=-/etc/eysend/eysend.env" in text
    names = {f"eysend-{s.name}.service" for s in services(env=PRODUCTION)}
    assert names | {"eysend.target"} == set(files)


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """Made for this checkout (verify wants the programs to exist), then checked."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here (Debian: apt install systemd)")
    for name, text in units(str(ROOT), "root", 2, sys.executable).items():
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr


def directive(name: str) -> list[str]:
    """Every value of an nginx directive in the site file (comments removed)."""
    text = "\n".join(line.split("#", 1)[0] for line in NGINX.read_text().splitlines())
    return [m.strip() for m in re.findall(rf"^\s*{name}\s+([^;{{}}]+);", text, re.MULTILINE)]


def seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)(ms|s|m)?", value)
    assert match, value
    number, unit = float(match.group(1)), match.group(2) or "s"
    return number / 1000 if unit == "ms" else number * (60 if unit == "m" else 1)


def test_the_nginx_site_fits_the_gateway() -> None:
    gateway = GatewayConfig()
    upstream = float(MULTI_INSTANCE_DEFAULTS["RASA_TIMEOUT_SECONDS"])
    response_timeout = upstream + gateway.health_timeout + 5  # as bot/web/app.py sets it
    (body,) = directive("client_max_body_size")
    assert int(body.rstrip("k")) * 1024 >= max(gateway.max_body_bytes, gateway.max_form_bytes)
    (read,) = directive("proxy_read_timeout")
    assert seconds(read) > response_timeout  # the gateway answers (503 at worst) first
    (header,) = directive("client_header_timeout")
    assert seconds(header) <= gateway.request_timeout
    (keepalive,) = directive("keepalive_timeout")  # in the upstream block
    assert seconds(keepalive) < gateway.keep_alive_timeout  # nginx lets go first
    headers = dict(h.split(None, 1) for h in directive("proxy_set_header"))
    assert headers["X-Forwarded-For"] == "$remote_addr"  # one hop: PROXIES_COUNT=1
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["Host"] == "$host"
    assert any("Strict-Transport-Security" in h for h in directive("add_header"))
    assert directive("proxy_pass") == ["http://eysend_gateway"]
    (server,) = directive("server")
    assert server.startswith("127.0.0.1:")  # the gateway listens on loopback only


def test_the_nginx_site_is_valid_where_nginx_is_installed(tmp_path: Path) -> None:
    """``nginx -t`` on the site with a throw-away certificate (NGINX=path/to/nginx to choose)."""
    nginx = os.environ.get("NGINX") or shutil.which("nginx")
    if nginx is None:
        pytest.skip("nginx is not installed here; test_the_nginx_site_fits_the_gateway checks "
                    "the limits")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=test",
         "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem"),
         "-days", "1"],
        check=True, capture_output=True, timeout=60,
    )
    site = NGINX.read_text().replace("/etc/letsencrypt/live/chat.example.gov.uk/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    temp = {k: tmp_path / k for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    paths = " ".join(f"{k}_temp_path {v};" for k, v in temp.items())
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
        f"http {{ access_log off; {paths} include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run([nginx, "-t", "-c", str(config), "-p", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
