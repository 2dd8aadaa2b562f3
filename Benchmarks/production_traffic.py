"""Production traffic for Pollen's benchmarks: single-item PutItem calls at a steady rate on one table.

It stands for the application that owns the table while a backfill runs: it writes ~900-byte items
(one write unit each) at `--units-per-second`, paced evenly on an absolute schedule, and never
retries, so every ProvisionedThroughputExceededException it gets is one request of the
application's pushed back by the backfill's use of the table. Worker threads share the schedule
so that a slow answer does not delay the next put; a put that could not leave within
`SKIP_LATE_SECONDS` of its slot (every worker busy) is skipped and counted, never sent late: an
application's requests come when they come, and a generator that caught up in bursts (as this one
did with four workers once the server answered in more than 50 ms) would measure its own bursts.

Usage: production_traffic.py --table NAME [--units-per-second 80] [--workers 16]
Prints `started` when the first put is due, runs until its stdin is closed, then prints one JSON
object (see `Tally.as_dict`). Endpoint and credentials come from the environment.
"""
import argparse
import json
import sys
import threading
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

SYMBOL = "PRODTRAFFIC"
PAYLOAD = "p" * 900  # with the key and names the item is ~950 bytes: one write unit
SKIP_LATE_SECONDS = 0.25
THROTTLING_CODES = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}


class Tally:
    """What happened to the puts, shared by the workers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.puts = self.ok = self.pushed_back = self.errors = self.skipped = 0
        self.late = 0          # puts sent more than 50 ms after their slot
        self.max_late = 0.0
        self.pushed_back_seconds = {}  # second of the run -> puts pushed back in it
        self.late_seconds = {}         # second of the run -> puts that left late in it

    def record(self, outcome, lateness, second):
        """Counts one put due in `second` of the run: 'ok', 'pushed back' or 'error', and how late it left."""
        with self.lock:
            if outcome == "pushed back":
                self.pushed_back_seconds[second] = self.pushed_back_seconds.get(second, 0) + 1
            if lateness > 0.05:
                self.late_seconds[second] = self.late_seconds.get(second, 0) + 1
            self.puts += 1
            if outcome == "ok":
                self.ok += 1
            elif outcome == "pushed back":
                self.pushed_back += 1
            else:
                self.errors += 1
            if lateness > 0.05:
                self.late += 1
            self.max_late = max(self.max_late, lateness)

    def skip(self):
        """Counts one slot no worker was free to send in time."""
        with self.lock:
            self.skipped += 1

    def as_dict(self, elapsed):
        """The JSON result, with the rate actually achieved."""
        return {"puts": self.puts, "ok": self.ok, "pushedBack": self.pushed_back, "errors": self.errors,
                "late": self.late, "skipped": self.skipped, "maxLateSeconds": round(self.max_late, 3), "elapsedSeconds": elapsed,
                "pushedBackBySecond": dict(sorted(self.pushed_back_seconds.items())),
                "lateBySecond": dict(sorted(self.late_seconds.items())),
                "putsPerSecond": self.puts / elapsed if elapsed > 0 else 0.0}


def put_once(client, table, number):
    """One PutItem, no retries; returns 'ok', 'pushed back' or 'error'."""
    try:
        client.put_item(TableName=table, Item={"symbol": {"S": SYMBOL}, "reportKey": {"S": f"live#{number:09d}"},
                                               "payload": {"S": PAYLOAD}})
        return "ok"
    except ClientError as error:
        return "pushed back" if error.response.get("Error", {}).get("Code") in THROTTLING_CODES else "error"
    except Exception:
        return "error"


def worker(index, workers, rate, table, started, stop, tally):
    """Sends the puts of slots index, index + workers, ...; slot n is due at started + n / rate."""
    client = boto3.session.Session().client(
        "dynamodb", config=Config(retries={"mode": "standard", "total_max_attempts": 1}))
    slot = index
    while not stop.is_set():
        due = started + slot / rate
        delay = due - time.monotonic()
        if delay > 0 and stop.wait(delay):
            break
        if time.monotonic() - due > SKIP_LATE_SECONDS:
            tally.skip()
            slot += workers
            continue
        tally.record(put_once(client, table, slot), max(0.0, time.monotonic() - due), int(due - started))
        slot += workers


def main(argv):
    """Runs the workers until stdin closes, then prints the tally."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", required=True)
    parser.add_argument("--units-per-second", type=float, default=80.0)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args(argv)

    tally, stop = Tally(), threading.Event()
    boto3.session.Session().client("dynamodb")  # load botocore's models before the clock starts
    started = time.monotonic() + 0.2
    threads = [threading.Thread(target=worker, args=(i, args.workers, args.units_per_second, args.table, started,
                                                     stop, tally), daemon=True) for i in range(args.workers)]
    for thread in threads:
        thread.start()
    print("started", flush=True)
    sys.stdin.read()  # the benchmark closes our stdin when the backfill is done
    stop.set()
    for thread in threads:
        thread.join(10)
    print(json.dumps(tally.as_dict(time.monotonic() - started)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
