"""Fixtures: run scripts/local-dynamodb as a subprocess and talk to it with boto3.

The shared server is started once per test session on a free port and stopped
with SIGTERM at the end (which must exit 0). Tests that need their own flags
start another one with :func:`start_server`.
"""

import itertools
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "local-dynamodb"
SCRIPTS_DIR = REPO / "scripts"
if str(SCRIPTS_DIR) not in sys.path:
    sys.path.insert(0, str(SCRIPTS_DIR))

REGION = "us-east-1"
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)
_names = itertools.count(1)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unique_name(prefix):
    return f"{prefix}-{os.getpid()}-{next(_names)}"


class LocalDynamoDB:
    """One running scripts/local-dynamodb process."""

    def __init__(self, *flags, ready_timeout=60):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.stderr = tempfile.TemporaryFile()
        env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
        self.process = subprocess.Popen(
            [str(SCRIPT), "--port", str(self.port), *flags],
            stdout=subprocess.PIPE, stderr=self.stderr, env=env,
        )
        deadline = time.monotonic() + ready_timeout
        line = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if ready:
                line = self.process.stdout.readline()
                break
            if self.process.poll() is not None:
                break
        if line.strip() != b"ready":
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"local-dynamodb did not start: {line!r}\n{self.read_stderr()}")

    def read_stderr(self):
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def client(self, service="dynamodb", **kwargs):
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name=REGION,
            aws_access_key_id="testing", aws_secret_access_key="testing",
            config=kwargs.pop("config", NO_RETRIES), **kwargs,
        )

    def admin(self, path, payload=None, method=None):
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(
            self.endpoint + path, data=data, method=method or ("GET" if data is None else "POST"),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def set_faults(self, **settings):
        return self.admin("/_pollen/faults", settings)

    def stats(self):
        return self.admin("/_pollen/stats")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Send ``sig``; return the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"local-dynamodb did not stop on {sig!r}\n{self.read_stderr()}")
        self.process.stdout.close()
        return self.process.returncode


def start_server(*flags):
    return LocalDynamoDB(*flags)


@pytest.fixture(scope="session")
def server():
    srv = LocalDynamoDB()
    yield srv
    code = srv.stop()
    stderr = srv.read_stderr()
    assert code == 0, f"exit code {code}\n{stderr}"
    assert "Traceback" not in stderr, stderr


@pytest.fixture
def ddb(server):
    return server.client()


@pytest.fixture(autouse=True)
def _no_faults_left_behind(request):
    yield
    if "server" in request.fixturenames:
        srv = request.getfixturevalue("server")
        srv.set_faults(error_rate=0, latency_ms=0, latency_jitter_ms=0, reset_rate=0, seed=0, burst_seconds=0,
                       bucket="per-second", key_wcu=None, throttling_reasons=True)


def create_table(client, name=None, *, range_key=False, wcu=None, max_wcu=None):
    """Create a table (on-demand, optionally with ``OnDemandThroughput.MaxWriteRequestUnits`` =
    ``max_wcu``, or provisioned with ``wcu``) and return its name."""
    name = name or unique_name("t")
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    attrs = [{"AttributeName": "pk", "AttributeType": "S"}]
    if range_key:
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
        attrs.append({"AttributeName": "sk", "AttributeType": "S"})
    kwargs = {"TableName": name, "KeySchema": keys, "AttributeDefinitions": attrs}
    if wcu is None:
        kwargs["BillingMode"] = "PAY_PER_REQUEST"
        if max_wcu is not None:
            kwargs["OnDemandThroughput"] = {"MaxWriteRequestUnits": max_wcu}
    else:
        kwargs["ProvisionedThroughput"] = {"ReadCapacityUnits": 100, "WriteCapacityUnits": wcu}
    client.create_table(**kwargs)
    return name


def sized_item(pk, size):
    """An item whose DynamoDB size is exactly ``size`` bytes (pk + one string attribute)."""
    overhead = len("pk") + len(pk) + len("data")
    assert size >= overhead
    return {"pk": {"S": pk}, "data": {"S": "x" * (size - overhead)}}


def count_items(client, table):
    """Number of items in ``table`` (Scan, Select=COUNT, all pages)."""
    total, kwargs = 0, {"TableName": table, "Select": "COUNT"}
    while True:
        page = client.scan(**kwargs)
        total += page["Count"]
        if "LastEvaluatedKey" not in page:
            return total
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
