"""Runs a boto3 snippet for the Swift tests: the independent reference client.

stdin: first line the JSON `args`, the rest the snippet. argv[1]: the endpoint URL.
The snippet calls emit(value) once; bytes become base64 text.
"""
import base64
import json
import sys

import boto3
import botocore
from botocore.config import Config

endpoint = sys.argv[1]
args_line, snippet = sys.stdin.read().split("\n", 1)
args = json.loads(args_line)
ddb = boto3.client(
    "dynamodb",
    endpoint_url=endpoint,
    region_name="us-east-1",
    config=Config(retries={"total_max_attempts": 1}),
)


def _plain(value):
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if type(value).__name__ == "Decimal":
        return str(value)
    return value


def emit(value):
    sys.stdout.write(json.dumps(_plain(value)))


exec(compile(snippet, "<snippet>", "exec"))
