"""The benchmark harness's pure parts, and its load driver against a tiny loopback server."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
import yaml
from aiohttp import web

from bench.clients import RestTarget
from bench.load import long_conversation, run_phase
from bench.plot import plot
from bench.procs import role_of, rss_bytes
from bench.project import bench_endpoints, project_env
from bench.report import (
    HISTORY_FIELDS,
    append_history,
    build_rows,
    format_table,
    history_row,
)
from bench.run import parse_plan
from bench.scripts import (
    Conversation,
    ScriptError,
    load_conversations,
    load_long_block,
)
from bench.scripts import (
    long_conversation as long_messages,
)
from bench.stats import bands, growth, latency_summary, per_turn_median, percentile
from bot.operations.processes import free_port_block, parent_of, process_tree


def side(p95_1: float, p95_20: float, mps_20: float, errors_50: int, **extra: object) -> dict:
    """A made-up measurement of one bot."""
    return {
        "phases": {
            "1": {"p50_ms": p95_1 / 2, "p95_ms": p95_1, "p99_ms": p95_1, "msgs_per_s": 10.0,
                  "errors": 0},
            "20": {"p50_ms": p95_20 / 2, "p95_ms": p95_20, "p99_ms": p95_20,
                   "msgs_per_s": mps_20, "errors": 0},
            "50": {"p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0, "msgs_per_s": 5.0,
                   "errors": errors_50},
        },
        "memory": {"peak_total_mb": 1000.0, "max_rasa_process_mb": 900.0},
        "startup_s": 20.0,
        "train_s": 60.0,
        "long": {"growth": {"first_turns_ms": 50.0, "last_turns_ms": 55.0, "ratio": 1.1}},
        **extra,
    }


def test_percentile_interpolates_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == 25.0
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_latency_summary_is_in_milliseconds() -> None:
    summary = latency_summary([0.010, 0.020, 0.030])
    assert summary["p50_ms"] == 20.0
    assert summary["max_ms"] == 30.0
    assert latency_summary([])["p95_ms"] is None


def test_long_conversation_growth_and_bands() -> None:
    runs = [[0.010, 0.020, None, 0.040], [0.012, None, 0.030, 0.044]]
    per_turn = per_turn_median(runs)
    assert per_turn == [11.0, 20.0, 30.0, 42.0]
    trend = growth(per_turn, window=2)
    assert trend["first_turns_ms"] == 15.5 and trend["last_turns_ms"] == 36.0
    assert trend["ratio"] == round(36.0 / 15.5, 2)
    assert bands(per_turn, 3) == [
        {"turns": "1-3", "mean_ms": 20.3},
        {"turns": "4-4", "mean_ms": 42.0},
    ]
    assert growth([None, None], window=1)["ratio"] is None


def test_rows_give_ratios_and_judge_targets() -> None:
    rows = {r["metric"]: r for r in build_rows(
        side(80, 500, 40.0, 0), side(82, 1345, 19.5, 0)
    )}
    assert rows["20 users: messages/s"]["ratio"] == round(40 / 19.5, 2)
    assert rows["20 users: messages/s"]["met"] is True
    assert rows["20 users: p95 ms"]["met"] is True
    assert rows["1 user: p95 ms"]["met"] is True
    assert rows["50 users: errors"]["met"] is True
    assert rows["training s"]["met"] is True
    assert rows["long chat: last/first turns"]["met"] is True
    assert rows["1 user: p50 ms"]["met"] is None

    worse = {r["metric"]: r for r in build_rows(side(90, 900, 30.0, 3), side(82, 1345, 19.5, 0))}
    assert worse["1 user: p95 ms"]["met"] is False
    assert worse["20 users: p95 ms"]["met"] is False
    assert worse["20 users: messages/s"]["met"] is False
    assert worse["50 users: errors"]["met"] is False


def test_rows_without_the_stock_bot_have_no_ratio() -> None:
    rows = build_rows(side(80, 500, 40.0, 0), None)
    by_name = {r["metric"]: r for r in rows}
    assert by_name["20 users: messages/s"]["ratio"] is None
    assert by_name["20 users: messages/s"]["met"] is None
    assert by_name["start-up to first answer s"]["met"] is True


def test_table_shows_both_bots_and_the_ratio() -> None:
    table = format_table(build_rows(side(80, 500, 40.0, 0), side(82, 1345, 19.5, 0)))
    lines = table.splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == ["metric", "project", "stock", "project/stock", "target", "met"]
    row = next(line for line in lines if line.startswith("| 20 users: messages/s"))
    assert "2.05" in row and "yes" in row
    assert len({len(line) for line in lines}) == 1


def test_history_appends_and_keeps_a_short_tail(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    result = {"when": "t", "commit": "abc", "mode": "full",
              "project": side(80, 500, 40.0, 0), "stock": side(82, 1345, 19.5, 0)}
    for i in range(5):
        append_history(path, {**history_row(result), "when": f"t{i}"}, keep=3)
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["when"] for r in rows] == ["t2", "t3", "t4"]
    assert list(rows[0]) == HISTORY_FIELDS
    assert rows[0]["project_msgs_s_20"] == "40.0"
    assert rows[0]["stock_p95_20_ms"] == "1345"


def test_the_messages_file_loads() -> None:
    conversations = load_conversations()
    assert len(conversations) >= 8
    for conversation in conversations:
        assert len(conversation.turns) == 8
        assert not any(turn.startswith("/") for turn in conversation.turns), conversation.name
    block = load_long_block()
    assert len(block) == 10
    sixty = long_messages(conversations, 60, block)
    assert len(sixty) == 60 and sixty[:10] == sixty[50:]


def test_a_conversation_of_the_wrong_length_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "messages.yml"
    path.write_text("turns_per_conversation: 2\nconversations:\n"
                    "  - name: short\n    turns: [hi]\n")
    with pytest.raises(ScriptError):
        load_conversations(path)


def test_bench_endpoints_point_at_our_action_server_and_temp_files(tmp_path: Path) -> None:
    original = {
        "action_endpoint": {"url": "http://127.0.0.1:5055/webhook"},
        "tracker_store": {"type": "SQL", "dialect": "sqlite", "db": "var/tracker.db"},
        "lock_store": {"type": "redis", "url": "localhost"},
    }
    found = bench_endpoints(original, 41234, tmp_path)
    assert found["action_endpoint"]["url"] == "http://127.0.0.1:41234/webhook"
    assert found["tracker_store"]["db"] == str(tmp_path / "tracker_store.db")
    assert found["lock_store"] == {"type": "redis", "url": "localhost"}
    assert original["tracker_store"]["db"] == "var/tracker.db"


def test_project_env_moves_ports_and_keeps_state_out_of_the_repo(tmp_path: Path) -> None:
    base = {"RASA_URLS": "http://127.0.0.1:5005", "RASA_INSTANCES": "3", "PATH": "/bin"}
    env, port, copy_path = project_env(tmp_path, base)
    assert "RASA_URLS" not in env and "ACTION_SERVER_URL" not in env
    assert int(env["GATEWAY_PORT"]) == port and port not in (8000, 5005, 5055)
    assert int(env["RASA_PORT"]) not in (5005, 8000)
    from bot import settings

    rates = [rate.name for rate in settings.TABLE if rate.name.startswith("RATE_")]
    assert "RATE_SESSION_BURST" in rates  # new conversations per address: lifted too
    assert all(float(env[name]) >= 100_000 for name in rates), rates
    if copy_path is None:  # an endpoints file with ${VARS}: used as it is
        return
    assert copy_path == env["ENDPOINTS_FILE"] == str(tmp_path / "endpoints.yml")
    written = yaml.safe_load(Path(copy_path).read_text())
    action_port = env["ACTION_SERVER_PORT"]
    assert written["action_endpoint"]["url"] == f"http://127.0.0.1:{action_port}/webhook"


def test_consecutive_free_ports() -> None:
    first = free_port_block(3)
    assert 1024 < first < 65533


def test_processes_are_read_from_proc() -> None:
    assert parent_of("123 (python -m x) S 45 123 123 0") == 45
    assert os.getpid() in process_tree(os.getpid())
    assert (rss_bytes(os.getpid()) or 0) > 1_000_000
    assert role_of("/v/bin/python3.10 /v/bin/rasa run --port 5005") == "rasa"
    assert role_of("/v/bin/python -m bot.rasa_plugins.run run --port 5005") == "rasa"
    assert role_of("/v/bin/python -m bot.web") == "gateway"
    assert role_of("/v/bin/python -m bot.operations.action_server") == "actions"


def test_smoke_plan_is_small_and_skips_the_stock_bot() -> None:
    plan = parse_plan(["--smoke"])
    assert plan.mode == "smoke" and not plan.with_stock and not plan.measure_training
    assert plan.duration <= 5 and not plan.keep_history
    full = parse_plan([])
    assert full.users == (1, 20, 50) and full.with_stock and full.long_turns == 60


@pytest.fixture
async def echo_rest():
    """A tiny REST channel on a free loopback port that answers every message."""

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response([{"recipient_id": body["sender"], "text": "ok"}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_load_driver_runs_users_for_the_duration(echo_rest: str) -> None:
    target = RestTarget(echo_rest)
    scripts = [Conversation("a", ("hi", "bye")), Conversation("b", ("hello", "thanks"))]
    result = await run_phase(target, scripts, users=3, duration=0.5, timeout=5)
    assert result.error_count == 0
    assert len(result.latencies) > 6 and result.conversations >= 3
    assert 0.5 <= result.elapsed < 3
    runs = await long_conversation(target, ["hi"] * 5, repeats=2, timeout=5)
    assert len(runs) == 2 and all(len(r) == 5 and None not in r for r in runs)


async def test_load_driver_counts_errors(echo_rest: str) -> None:
    target = RestTarget(echo_rest + "/nowhere")
    result = await run_phase(target, [Conversation("a", ("hi",))], users=2, duration=0.3,
                             timeout=5)
    assert not result.latencies and result.error_count > 0
    assert set(result.errors) == {"http_404"}


def test_plot_writes_a_png(tmp_path: Path) -> None:
    result = {"mode": "test", "when": "now",
              "project": {**side(80, 500, 40.0, 0), "long": {"per_turn_ms": [50, 52, None, 51]}},
              "stock": {**side(82, 1345, 19.5, 0), "long": {"per_turn_ms": [40, 60, 80, 100]}}}
    path = plot(result, tmp_path / "plot.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
