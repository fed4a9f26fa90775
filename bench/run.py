"""``python -m bench.run [--smoke]``: the project and a stock Rasa bot under the same load.

Full run: times the project's training, starts the project as ``make run`` does and then a
stock ``rasa init`` bot (trained once, cached in bench/.cache/stock), one after the other on
free loopback ports, drives each with the scripted conversations of bench/messages.yml, and
prints a table with the ratio project/stock per line. Writes bench/results/latest.json,
latest.png and appends bench/results/history.csv.

``--smoke``: the project only, a few seconds of load, results in bench/results/smoke/; it
proves the harness works and asserts nothing about speed.

Exit status: 0 all fine (full run: every target met), 3 a target missed, 1 the harness failed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import procs, project, stock
from bench.clients import GatewayTarget, RestTarget, Target
from bench.load import PhaseResult, long_conversation, run_phase, wait_first_answer
from bench.paths import REPO_ROOT, RESULTS_DIR
from bench.plot import plot
from bench.report import append_history, build_rows, format_table, history_row, write_json
from bench.scripts import Conversation, load_conversations, load_long_block
from bench.scripts import long_conversation as long_messages
from bench.stats import bands, growth, latency_summary, per_turn_median
from bot import settings
from bot.operations import processes

LOG_TAIL_LINES = 25
BENCH_STOP_SECONDS = 20  # a bot's launcher stops its own processes first


class BenchError(RuntimeError):
    """The harness could not measure something (a bot did not start, answered nothing...)."""


@dataclass(frozen=True)
class Plan:
    """What to measure and for how long."""

    mode: str
    users: tuple[int, ...]
    duration: float
    long_turns: int
    repeats: int
    with_stock: bool
    measure_training: bool
    timeout: float
    startup_timeout: float
    out_dir: Path
    keep_history: bool


def parse_plan(argv: list[str] | None = None) -> Plan:
    """Command-line options -> Plan (``--smoke`` picks small defaults)."""
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    ap.add_argument("--smoke", action="store_true", help="quick check of the harness")
    ap.add_argument("--users", help="comma-separated concurrency levels (default 1,20,50)")
    ap.add_argument("--duration", type=float, help="seconds of load per level (default 20)")
    ap.add_argument("--long-turns", type=int, help="turns in the long conversation (60)")
    ap.add_argument("--repeats", type=int, help="long conversations to take the median of (5)")
    ap.add_argument("--no-stock", action="store_true", help="measure the project only")
    ap.add_argument("--skip-train", action="store_true", help="do not time the training")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    ap.add_argument("--startup-timeout", type=float, default=240.0)
    ap.add_argument("--out", type=Path, help="results folder (default bench/results)")
    args = ap.parse_args(argv)
    smoke = args.smoke
    users = tuple(int(u) for u in args.users.split(",")) if args.users else (
        (1, 5) if smoke else (1, 20, 50)
    )
    return Plan(
        mode="smoke" if smoke else "full",
        users=users,
        duration=args.duration or (3.0 if smoke else 20.0),
        long_turns=args.long_turns or (20 if smoke else 60),
        repeats=args.repeats or (1 if smoke else 5),
        with_stock=not (smoke or args.no_stock),
        measure_training=not (smoke or args.skip_train),
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        out_dir=args.out or (RESULTS_DIR / "smoke" if smoke else RESULTS_DIR),
        keep_history=not smoke,
    )


def phase_summary(phase: PhaseResult) -> dict[str, Any]:
    """The numbers kept for one concurrency level."""
    return {
        "users": phase.users,
        "duration_s": phase.duration,
        "elapsed_s": round(phase.elapsed, 2),
        "conversations": phase.conversations,
        "messages": len(phase.latencies),
        "msgs_per_s": round(phase.throughput, 2),
        "errors": phase.error_count,
        "error_kinds": dict(phase.errors),
        **latency_summary(phase.latencies),
    }


@dataclass(frozen=True)
class Workload:
    """The messages: 8-turn scripts for the load, and the long conversation with its window."""

    scripts: list[Conversation]
    long_messages: list[str]
    window: int


def workload(plan: Plan) -> Workload:
    """Read bench/messages.yml; compare the first and last ``window`` turns of the long chat."""
    scripts = load_conversations()
    block = load_long_block()
    window = max(1, min(len(block) or 5, plan.long_turns // 2))
    return Workload(scripts, long_messages(scripts, plan.long_turns, block), window)


async def drive(target: Target, process: subprocess.Popen, began: float, plan: Plan,
                work: Workload, log) -> dict[str, Any]:
    """Wait for the first answer, warm up, then the long conversation and each load level."""
    startup = await wait_first_answer(target, process, began, plan.startup_timeout)
    if startup is None:
        raise BenchError(f"{target.label} gave no answer within {plan.startup_timeout:.0f} s")
    log(f"  {target.label}: first answer after {startup:.1f} s")
    await long_conversation(target, list(work.scripts[0].turns), 1, plan.timeout)  # warm-up
    runs = await long_conversation(target, work.long_messages, plan.repeats, plan.timeout)
    per_turn = per_turn_median(runs)
    trend = growth(per_turn, work.window)
    log(f"  {target.label}: long conversation {trend}")
    phases = {}
    for users in plan.users:
        load_avg = os.getloadavg()[0]
        cpu_before = procs.cpu_by_role(process.pid)
        result = await run_phase(target, work.scripts, users, plan.duration, plan.timeout)
        cpu = cpu_per_message(cpu_before, procs.cpu_by_role(process.pid), len(result.latencies))
        phases[str(users)] = {
            **phase_summary(result), "load_avg_before": round(load_avg, 2),
            "cpu_ms_per_message": cpu,
        }
        p = phases[str(users)]
        log(f"  {target.label}: {users:>3} users  p50 {p['p50_ms']} ms  p95 {p['p95_ms']} ms  "
            f"{p['msgs_per_s']} msg/s  errors {p['errors']}  CPU/msg {cpu}")
    failed_turns = sum(1 for run in runs for v in run if v is None)
    return {
        "startup_s": round(startup, 1),
        "long": {
            "turns": plan.long_turns, "repeats": plan.repeats, "failed_turns": failed_turns,
            "per_turn_ms": per_turn, "growth": trend, "bands": bands(per_turn, work.window),
        },
        "phases": phases,
    }


def cpu_per_message(before: dict[str, float], after: dict[str, float],
                    messages: int) -> dict[str, float]:
    """CPU milliseconds per answered message, by kind of process and in total."""
    used = {role: after[role] - before.get(role, 0.0) for role in after}
    per = {role: round(1000 * s / max(messages, 1), 2) for role, s in sorted(used.items()) if s > 0}
    per["total"] = round(sum(per.values()), 2)
    return per


def measure(target: Target, command: list[str], cwd: Path, env: dict[str, str], plan: Plan,
            work: Workload, log_file: Path, log) -> dict[str, Any]:
    """Start one bot, measure it, stop it (always), and add its memory to the result."""
    log(f"Starting the {target.label} ({' '.join(command[-4:])}); log: {log_file}")
    began = time.monotonic()
    process = processes.start(command, env, cwd, log_file, own_group=True)
    sampler = procs.MemorySampler(process.pid).start()
    try:
        try:
            result = asyncio.run(drive(target, process, began, plan, work, log))
        except BenchError:
            lines = log_file.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:]
            log("\n".join([f"Last lines of {log_file}:", *lines]))
            raise
        sampler.sample()
        result["commands"] = [
            procs.command_line(pid) for pid in processes.process_tree(process.pid)
        ]
    finally:
        sampler.stop()
        processes.stop(process, BENCH_STOP_SECONDS, and_descendants=True)
    result["memory"] = sampler.report()
    return result


def git_commit() -> str:
    """Short commit id, with -dirty when the tree has changes ('' outside git)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return f"{head}-dirty" if head and dirty else head


def run_project(plan: Plan, work: Workload, log) -> dict[str, Any]:
    """Time the training (full run), then measure the project through its gateway."""
    train_s = None
    with tempfile.TemporaryDirectory(prefix="bench-project-") as tmp:
        state = Path(tmp)
        if plan.measure_training:
            train_s = project.time_training(state / "models", log)
        env, port, endpoints_copy = project.project_env(state)
        result = measure(GatewayTarget(f"http://127.0.0.1:{port}"), project.project_command(),
                         REPO_ROOT, env, plan, work, plan.out_dir / "logs" / "project.log", log)
        rasa = [c for c in result["commands"] if procs.role_of(c) == "rasa"]
        if endpoints_copy and not all(endpoints_copy in c for c in rasa):
            result.setdefault("warnings", []).append(
                "Rasa did not get the bench endpoints file (does bot.operations.launcher read "
                "ENDPOINTS_FILE?): it may share state with `make run`."
            )
        result["profile"] = {
            "endpoints": settings.ENDPOINTS_FILE.text(env) or project.DEFAULT_ENDPOINTS,
            "rasa_instances": len(rasa),
        }
    result["train_s"] = None if train_s is None else round(train_s, 1)
    result["train_note"] = "measured: rasa train --force" if train_s else "not measured"
    return result


def run_stock(plan: Plan, work: Workload, log) -> dict[str, Any]:
    """Build or reuse the stock bot, then measure it through its REST channel."""
    bot = stock.ensure_stock_bot(log=log)
    port = processes.free_port()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    result = measure(RestTarget(f"http://127.0.0.1:{port}"), stock.stock_command(port),
                     bot.directory, env, plan, work, plan.out_dir / "logs" / "stock.log", log)
    result["train_s"] = round(bot.train_seconds, 1)
    result["train_note"] = (
        f"rasa init --no-prompt (includes training), {'cached' if bot.cached else 'this run'}"
    )
    return result


def check_smoke(result: dict[str, Any]) -> list[str]:
    """What is wrong with a smoke run's measurements ([] when the harness worked)."""
    side = result.get("project") or {}
    problems = []
    for users, phase in (side.get("phases") or {}).items():
        if not phase.get("messages"):
            problems.append(f"{users} users: no message was answered")
    if side.get("long", {}).get("failed_turns"):
        problems.append("the long conversation had failed turns")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and report."""
    plan = parse_plan(argv)

    def log(message: str) -> None:
        print(message, flush=True)

    work = workload(plan)
    result: dict[str, Any] = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "mode": plan.mode,
        "machine": {"cpus": os.cpu_count(), "load_avg_at_start": round(os.getloadavg()[0], 2)},
        "settings": {
            "users": list(plan.users), "duration_s": plan.duration, "timeout_s": plan.timeout,
            "long_turns": plan.long_turns, "repeats": plan.repeats,
            "conversations": len(work.scripts),
            "turns_per_conversation": len(work.scripts[0].turns),
            "long_window": work.window,
        },
    }
    try:
        result["project"] = run_project(plan, work, log)
        if plan.with_stock:
            result["stock"] = run_stock(plan, work, log)
    except (BenchError, OSError, subprocess.SubprocessError) as err:
        print(f"\nBenchmark failed: {err}", file=sys.stderr)
        return 1
    rows = build_rows(result["project"], result.get("stock"))
    result["rows"] = rows
    table = format_table(rows)
    write_json(plan.out_dir / "latest.json", result)
    plot(result, plan.out_dir / "latest.png")
    if plan.keep_history:
        append_history(plan.out_dir / "history.csv", history_row(result))
    print(f"\n{table}\n")
    for warning in result["project"].get("warnings", []):
        print(f"Warning: {warning}")
    print(f"Results: {plan.out_dir / 'latest.json'}, {plan.out_dir / 'latest.png'}")
    if plan.mode == "smoke":
        problems = check_smoke(result)
        for problem in problems:
            print(f"Smoke run problem: {problem}", file=sys.stderr)
        print("Smoke run: the benchmark harness works." if not problems else "")
        return 1 if problems else 0
    missed = [r["metric"] for r in rows if r["met"] is False]
    if missed:
        print(f"Targets missed: {', '.join(missed)}")
        return 3
    print("Every target met." if plan.with_stock else "Stock bot not measured: ratios missing.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
