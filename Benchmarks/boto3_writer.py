"""The reference client of Pollen's benchmarks: boto3's `Table.batch_writer()`, one thread per table.

It writes exactly the items pollen writes (the same sample-data payloads, mapped by the rules of
CONTRACT section 1, so sizes and write units match) and counts what DynamoDB answered to every
attempt, retries included, through botocore's `response-received` event: throttling errors and
responses with `UnprocessedItems` (which batch_writer puts back into its buffer and sends again).

Usage: boto3_writer.py --source DIR --table-prefix P [--tables balanceSheet,incomeStatement]
                       [--retry-mode standard|adaptive] [--max-attempts N]
Endpoint and credentials come from the environment (AWS_ENDPOINT_URL_DYNAMODB, AWS_ACCESS_KEY_ID, ...).
Prints one JSON object (see `Counters.as_dict`); exits 1 if any writer thread failed.
"""
import argparse
import json
import re
import sys
import threading
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import boto3
from botocore.config import Config

# The data tables, the payload each one is mapped from, and the lists of records in it.
TABLE_FUNCTIONS = {
    "companyOverview": "OVERVIEW",
    "earnings": "EARNINGS",
    "cashFlow": "CASH_FLOW",
    "balanceSheet": "BALANCE_SHEET",
    "incomeStatement": "INCOME_STATEMENT",
}
REPORT_LISTS = {
    "earnings": (("annual", "annualEarnings"), ("quarterly", "quarterlyEarnings")),
    "cashFlow": (("annual", "annualReports"), ("quarterly", "quarterlyReports")),
    "balanceSheet": (("annual", "annualReports"), ("quarterly", "quarterlyReports")),
    "incomeStatement": (("annual", "annualReports"), ("quarterly", "quarterlyReports")),
}
# Fields kept as text even when they look like numbers (pollen's SourceFunction.textFields).
TEXT_FIELDS = {
    "companyOverview": {"Symbol", "AssetType", "Name", "Description", "CIK", "Exchange", "Currency", "Country",
                        "Sector", "Industry", "Address", "OfficialSite", "FiscalYearEnd", "LatestQuarter",
                        "DividendDate", "ExDividendDate"},
    "earnings": {"fiscalDateEnding", "reportedDate", "reportTime"},
    "cashFlow": {"fiscalDateEnding", "reportedCurrency"},
    "balanceSheet": {"fiscalDateEnding", "reportedCurrency"},
    "incomeStatement": {"fiscalDateEnding", "reportedCurrency"},
}
NO_VALUE = {"None", "-", "N/A", ""}
POLLEN_ATTRIBUTES = {"symbol", "reportKey", "reportType", "source", "runId", "ingestedAt"}
SOURCE_ERRORS = ("Error Message", "Information", "Note")
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
THROTTLING_CODES = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}


def run_id_now():
    """A run id in pollen's format (`20261124T211450Z-3f9a`), so the `runId` attribute has the same size."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-b070"


def ingested_at_now():
    """`ingestedAt` as pollen writes it: ISO-8601 UTC to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def symbols_in(source):
    """The assets of a directory source: its sub-folder names, in a stable order."""
    return sorted(entry.name for entry in Path(source).iterdir() if entry.is_dir())


def records_of(payload, table):
    """(reportType or None, record) for every record of one payload; nothing for `{}` or an error body."""
    if not payload or any(key in payload for key in SOURCE_ERRORS):
        return
    if table == "companyOverview":
        yield None, payload
        return
    for report_type, key in REPORT_LISTS[table]:
        for record in payload.get(key) or []:
            yield report_type, record


def map_record(record, symbol, table, report_type, run_id, ingested_at):
    """One DynamoDB item for one source record, mapped as pollen's ItemMapper does."""
    item = {}
    text_fields = TEXT_FIELDS[table]
    for name, value in record.items():
        if name in POLLEN_ATTRIBUTES or not isinstance(value, str) or value in NO_VALUE:
            continue
        item[name] = Decimal(value) if name not in text_fields and NUMBER.match(value) else value
    item["symbol"] = symbol
    if report_type is not None:
        item["reportKey"] = f"{report_type}#{record['fiscalDateEnding']}"
        item["reportType"] = report_type
    item["source"] = "alphavantage"
    item["runId"] = run_id
    item["ingestedAt"] = ingested_at
    return item


def items_of(source, symbol, table, run_id, ingested_at):
    """The items of one (asset, table) pair; a repeated reportKey keeps the first record, like pollen."""
    path = Path(source) / symbol / f"{TABLE_FUNCTIONS[table]}.json"
    try:
        payload = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    seen = set()
    for report_type, record in records_of(payload, table):
        item = map_record(record, symbol, table, report_type, run_id, ingested_at)
        key = item.get("reportKey")
        if key in seen:
            continue
        seen.add(key)
        yield item


def item_bytes(item):
    """An item's size by DynamoDB's rule for flat S/N items: names plus values, numbers ~1 byte per 2 digits."""
    total = 0
    for name, value in item.items():
        total += len(name.encode())
        if isinstance(value, Decimal):
            digits = str(value).lstrip("+-").replace(".", "").split("E")[0].strip("0")
            total += (max(1, len(digits)) + 1) // 2 + 1 + (1 if value < 0 else 0)
        else:
            total += len(value.encode())
    return total


class Counters:
    """What DynamoDB answered to every BatchWriteItem attempt, shared by the writer threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.throttled = 0
        self.unprocessed_responses = 0
        self.unprocessed_items = 0
        self.other_errors = 0
        self.items = 0
        self.bytes = 0
        self.failures = []

    def on_response(self, parsed_response=None, exception=None, **_):
        """botocore's `response-received` hook: called once per HTTP attempt, retries included."""
        with self.lock:
            self.requests += 1
            if exception is not None or parsed_response is None:
                self.other_errors += 1
                return
            code = parsed_response.get("Error", {}).get("Code")
            if code in THROTTLING_CODES:
                self.throttled += 1
            elif code:
                self.other_errors += 1
            unprocessed = sum(len(requests) for requests in (parsed_response.get("UnprocessedItems") or {}).values())
            if unprocessed:
                self.unprocessed_responses += 1
                self.unprocessed_items += unprocessed

    def wrote(self, items, size):
        """Counts items handed to batch_writer (written once it has flushed without an error)."""
        with self.lock:
            self.items += items
            self.bytes += size

    def as_dict(self, elapsed):
        """The JSON result: every re-send (a throttled request, or unprocessed items put back) is a retry."""
        return {"elapsedSeconds": elapsed, "items": self.items, "bytes": self.bytes, "requests": self.requests,
                "throttled": self.throttled, "unprocessedResponses": self.unprocessed_responses,
                "unprocessedItems": self.unprocessed_items, "otherErrors": self.other_errors,
                "retries": self.throttled + self.unprocessed_responses, "failures": self.failures}


def write_table(table, args, config, counters, run_id, ingested_at):
    """One writer thread: every asset's items of one table through one batch_writer."""
    try:
        resource = boto3.session.Session().resource("dynamodb", config=config)
        resource.meta.client.meta.events.register("response-received.dynamodb.BatchWriteItem", counters.on_response)
        with resource.Table(args.table_prefix + table).batch_writer() as writer:
            for symbol in symbols_in(args.source):
                count = size = 0
                for item in items_of(args.source, symbol, table, run_id, ingested_at):
                    writer.put_item(Item=item)
                    count += 1
                    size += item_bytes(item)
                counters.wrote(count, size)
    except Exception as error:  # the thread's failure is the result, not a crash of the others
        with counters.lock:
            counters.failures.append(f"{table}: {type(error).__name__}: {error}")


def parse_args(argv):
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--table-prefix", default="")
    parser.add_argument("--tables", default=",".join(TABLE_FUNCTIONS))
    parser.add_argument("--retry-mode", choices=("standard", "adaptive", "legacy"), default="standard")
    parser.add_argument("--max-attempts", type=int, default=10)
    return parser.parse_args(argv)


def main(argv):
    """Writes the selected tables in parallel and prints the counters as one JSON line."""
    args = parse_args(argv)
    config = Config(retries={"mode": args.retry_mode, "max_attempts": args.max_attempts},
                    max_pool_connections=10)
    counters = Counters()
    run_id, ingested_at = run_id_now(), ingested_at_now()
    started = time.monotonic()
    threads = [threading.Thread(target=write_table, args=(table, args, config, counters, run_id, ingested_at))
               for table in args.tables.split(",")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(counters.as_dict(time.monotonic() - started)), flush=True)
    return 1 if counters.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
