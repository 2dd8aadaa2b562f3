"""Command line: parse the flags, build moto's app and the wrapper, serve.

Prints ``ready`` once the socket accepts connections and exits 0 on SIGTERM or
SIGINT after letting in-flight requests finish (briefly).
"""

import argparse
import gc
import logging
import signal
import sys
import threading

from .capacity import BUCKET_MODELS


def _table_wcu(text):
    table, sep, units = text.rpartition("=")
    if not sep or not table:
        raise argparse.ArgumentTypeError(f"expected TABLE=N, got {text!r}")
    try:
        value = int(units)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer number of units in {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"units must be at least 1 in {text!r}")
    return table, value


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def _rate(text):
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a rate is between 0 and 1, got {text}")
    return value


def _non_negative(text):
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {text}")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="local-dynamodb",
        description="A local DynamoDB (moto) that behaves like DynamoDB where Pollen depends on it: "
        "batch limits, 400 KB items, ConsumedCapacity, per-table and per-key write capacity with "
        "ThrottlingReasons, OnDemandThroughput, fault injection. "
        "Admin API: GET/POST /_pollen/faults, GET /_pollen/stats, POST /_pollen/stats/reset.",
    )
    parser.add_argument("--port", type=int, required=True, help="TCP port to listen on")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--table-wcu", action="append", type=_table_wcu, default=[], metavar="TABLE=N",
                        help="write capacity units per second for TABLE (repeatable; overrides the "
                        "table's provisioned WCU; also limits on-demand tables)")
    parser.add_argument("--burst-seconds", type=_non_negative, default=0.0, metavar="S",
                        help="unused capacity kept for bursts, up to WCU x S (default 0; DynamoDB keeps 300)")
    parser.add_argument("--bucket", choices=BUCKET_MODELS, default="per-second",
                        help="how capacity is counted: per-second (each second of the server's clock grants "
                        "WCU units) or continuous (a token bucket refilled continuously); default per-second")
    parser.add_argument("--key-wcu", type=_positive_int, default=None, metavar="N",
                        help="write units per second for each partition key value of every table "
                        "(answered with TableWriteKeyRangeThroughputExceeded; DynamoDB's is 1000)")
    parser.add_argument("--throttling-reasons", choices=("on", "off"), default="on",
                        help="whether throttling errors carry ThrottlingReasons (off: as DynamoDB answered before)")
    parser.add_argument("--error-rate", type=_rate, default=0.0, metavar="R",
                        help="fraction of DynamoDB requests answered with InternalServerError (500)")
    parser.add_argument("--latency-ms", type=_non_negative, default=0.0, metavar="N",
                        help="added delay before each DynamoDB response")
    parser.add_argument("--latency-jitter-ms", type=_non_negative, default=0.0, metavar="N",
                        help="extra uniform random delay, 0..N ms")
    parser.add_argument("--reset-rate", type=_rate, default=0.0, metavar="R",
                        help="fraction of DynamoDB requests applied and then answered by dropping the connection")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault sequence (default 0)")
    return parser.parse_args(argv)


def build_app(args):
    """moto's WSGI app wrapped in Pollen's middleware (returns app, capacity, faults, stats)."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from . import moto_patches
    from .capacity import CapacityManager
    from .faults import FaultInjector
    from .middleware import PollenMiddleware
    from .stats import Stats

    moto_patches.apply()
    stats = Stats()
    capacity = CapacityManager(stats, dict(args.table_wcu), args.burst_seconds, bucket=args.bucket,
                               key_wcu=args.key_wcu, throttling_reasons=args.throttling_reasons == "on")
    faults = FaultInjector(args.error_rate, args.latency_ms, args.latency_jitter_ms, args.reset_rate, args.seed)
    moto_app = DomainDispatcherApplication(create_backend_app)
    return PollenMiddleware(moto_app, capacity, faults, stats), capacity, faults, stats


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app, _, _, _ = build_app(args)

    from .server import make_server

    server = make_server(args.host, args.port, app)
    stop = threading.Event()

    def request_stop(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    # A parent that spawned us from a thread with these signals blocked (a test runner's
    # worker thread) would otherwise leave us unstoppable.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="local-dynamodb", daemon=True)
    thread.start()
    sys.stdout.write("ready\n")
    sys.stdout.flush()

    # DynamoDB never stops the world; CPython's full garbage collection does, for as long as it
    # takes to walk every stored item (1.4 s at 60,000 items), throttling a shared table's
    # other writers on the catch-up. Freezing what has survived so far keeps stored items out of
    # every later collection; short-lived request cycles are collected young, before a freeze.
    gc.freeze()
    while not stop.wait(0.5):
        gc.freeze()
    server.shutdown()
    server.wait_idle(2.0)
    server.server_close()
    thread.join(2.0)
    return 0
