"""Pollen's benchmarks: each case prints what it measured next to a named baseline.

Cases (select by name on the command line, or `all`):
  engine   issue 5: a typical asset (5 tables, ~150 items) within 1 s against the unthrottled
           local DynamoDB; 50,000 items streaming through with peak memory under 64 MB.
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLLEN = os.environ.get("POLLEN_BIN", str(REPO / ".build/release/pollen"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalDynamoDB:
    """scripts/local-dynamodb on a free port, for the duration of a `with` block."""

    def __init__(self, *flags):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([str(REPO / "scripts/local-dynamodb"), "--port", str(self.port), *flags],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("the local DynamoDB did not start")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def env(self, prefix=""):
        return dict(os.environ, AWS_ENDPOINT_URL_DYNAMODB=self.endpoint, AWS_ACCESS_KEY_ID="bench",
                    AWS_SECRET_ACCESS_KEY="bench", AWS_REGION="us-east-1", POLLEN_TABLE_PREFIX=prefix)


def measured(command, env):
    """Runs a command; returns (exit code, wall seconds, CPU seconds, peak RSS in MB) of that process alone."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    return os.waitstatus_to_exitcode(status), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def pollen(*args, env):
    subprocess.run([POLLEN, *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def prepare(server, prefix, work, assets, seed):
    env = server.env(prefix)
    pollen("tables", "create", env=env)
    source = work / f"source-{assets}-{seed}"
    if not source.exists():
        pollen("sample-data", "--out", str(source), "--assets", str(assets), "--seed", str(seed), env=env)
    pollen("assets", "add", "--from-source", str(source), env=env)
    return env, source


def report_of(run_dir):
    return json.loads((run_dir / "report.json").read_text())


def engine_case(work):
    rows = []
    with LocalDynamoDB() as server:
        durations, walls, items = [], [], 0
        for attempt in range(5):
            env, source = prepare(server, f"one{attempt}_", work, 1, 100 + attempt)
            run_dir = work / f"one-{attempt}"
            code, wall, _, _ = measured([POLLEN, "backfill", "--source", str(source), "--ui", "json",
                                         "--run-dir", str(run_dir)], env)
            assert code == 0, f"typical asset run exited {code}"
            report = report_of(run_dir)
            asset = next(iter(report["assets"].values()))
            durations.append(asset["durationSeconds"])
            walls.append(wall)
            items = sum(pair["written"] for pair in asset["tables"].values())
        rows.append(("typical asset: upsert, mark and confirm (median of 5)", f"{statistics.median(durations):.3f} s",
                     "<= 1.000 s", statistics.median(durations) <= 1.0, f"{items} items; whole process {statistics.median(walls):.2f} s"))

        env, source = prepare(server, "stream_", work, 340, 7)
        run_dir = work / "stream"
        code, wall, cpu, peak = measured([POLLEN, "backfill", "--source", str(source), "--ui", "json",
                                          "--run-dir", str(run_dir)], env)
        assert code == 0, f"50,000-item run exited {code}"
        report = report_of(run_dir)
        written = sum(table["written"] for table in report["tables"].values())
        rows.append(("50,000 items streamed: peak memory", f"{peak:.1f} MB", "< 64 MB", peak < 64,
                     f"{written:,} items in {wall:.1f} s ({written / wall:,.0f} items/s, server-bound); "
                     f"pollen CPU {cpu:.1f} s = {cpu / written * 1e6:.0f} µs/item"))
    return rows


CASES = {"engine": engine_case}


def main(selected):
    names = list(CASES) if selected in ("all", None) else [selected]
    work = Path(tempfile.mkdtemp(prefix="pollen-bench-"))
    try:
        results = []
        for name in names:
            results += CASES[name](work)
        width = max(len(row[0]) for row in results)
        print(f"\n{'case'.ljust(width)}  {'measured':>12}  {'baseline (target)':>18}  result")
        for case, value, target, ok, note in results:
            print(f"{case.ljust(width)}  {value:>12}  {target:>18}  {'PASS' if ok else 'FAIL'}   {note}")
        return 0 if all(row[3] for row in results) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "all"))
