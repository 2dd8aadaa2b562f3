"""The wire: x-amz-crc32, keep-alive, pass-through of other services, SIGTERM."""

import http.client
import json
import signal
import zlib
from datetime import datetime, timezone

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import REGION, create_table, sized_item, start_server


def signed_call(connection, endpoint, operation, payload):
    """Send one botocore-signed DynamoDB request on ``connection``; return (response, body)."""
    body = json.dumps(payload).encode()
    request = AWSRequest(method="POST", url=endpoint + "/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"DynamoDB_20120810.{operation}",
    })
    SigV4Auth(Credentials("testing", "testing"), "dynamodb", REGION).add_auth(request)
    connection.request("POST", "/", body=body, headers=dict(request.headers.items()))
    response = connection.getresponse()
    return response, response.read()


def assert_crc(response, body):
    header = response.getheader("x-amz-crc32")
    assert header is not None
    assert int(header) == zlib.crc32(body)
    assert int(response.getheader("Content-Length")) == len(body)


def test_crc32_on_unchanged_and_changed_responses(server, ddb):
    table = create_table(ddb)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        # Unchanged (moto's bytes): DescribeTable, GetItem, Scan.
        response, body = signed_call(connection, server.endpoint, "DescribeTable", {"TableName": table})
        assert response.status == 200
        assert_crc(response, body)
        # Changed: BatchWriteItem with ConsumedCapacity, a ValidationException of ours.
        response, body = signed_call(connection, server.endpoint, "BatchWriteItem", {
            "RequestItems": {table: [{"PutRequest": {"Item": sized_item("k", 2000)}}]},
            "ReturnConsumedCapacity": "TOTAL",
        })
        assert response.status == 200
        assert json.loads(body)["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 2.0}]
        assert_crc(response, body)
        response, body = signed_call(connection, server.endpoint, "BatchWriteItem", {
            "RequestItems": {table: [{"PutRequest": {"Item": sized_item("k", 100)}}] * 2},
        })
        assert response.status == 400
        assert response.getheader("Content-Type") == "application/x-amz-json-1.0"
        assert json.loads(body) == {
            "__type": "com.amazonaws.dynamodb.v20120810#ValidationException",
            "message": "Provided list of item keys contains duplicates",
        }
        assert_crc(response, body)
        response, body = signed_call(connection, server.endpoint, "GetItem",
                                     {"TableName": table, "Key": {"pk": {"S": "k"}}})
        assert response.status == 200
        assert_crc(response, body)
    finally:
        connection.close()


def test_crc32_via_boto3_event_hook(server, ddb):
    table = create_table(ddb)
    seen = []

    def capture(http_response, **kwargs):
        seen.append((http_response.headers.get("x-amz-crc32"), http_response.content))

    ddb.meta.events.register("after-call.dynamodb", lambda **kw: capture(kw["http_response"]))
    ddb.put_item(TableName=table, Item=sized_item("a", 100), ReturnConsumedCapacity="TOTAL")
    ddb.put_item(TableName=table, Item=sized_item("b", 100))
    ddb.scan(TableName=table)
    assert len(seen) == 3
    for header, content in seen:
        assert header is not None and int(header) == zlib.crc32(content)


def test_connections_are_kept_alive(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        response, _ = signed_call(connection, server.endpoint, "ListTables", {})
        assert response.status == 200
        sock = connection.sock
        assert sock is not None
        for _ in range(5):
            response, body = signed_call(connection, server.endpoint, "ListTables", {"Limit": 2})
            assert response.status == 200
            assert_crc(response, body)
            assert response.getheader("Connection", "").lower() != "close"
        assert connection.sock is sock
    finally:
        connection.close()


def test_other_services_pass_through(server):
    before = server.stats()["requests"]
    cloudwatch = server.client("cloudwatch")
    now = datetime.now(timezone.utc)
    cloudwatch.put_metric_data(Namespace="Pollen/Test", MetricData=[
        {"MetricName": "Written", "Value": 42.0, "Unit": "Count", "Timestamp": now}])
    result = cloudwatch.get_metric_data(
        MetricDataQueries=[{"Id": "w", "MetricStat": {
            "Metric": {"Namespace": "Pollen/Test", "MetricName": "Written"}, "Period": 60, "Stat": "Sum"}}],
        StartTime=now.replace(microsecond=0).timestamp() - 300, EndTime=now.timestamp() + 300)
    assert sum(result["MetricDataResults"][0]["Values"]) == 42.0
    assert server.stats()["requests"] == before  # not counted as DynamoDB traffic


def test_sigterm_and_sigint_exit_cleanly():
    for sig in (signal.SIGTERM, signal.SIGINT):
        local = start_server("--table-wcu", "x=5")
        client = local.client()
        table = create_table(client)
        client.put_item(TableName=table, Item=sized_item("k", 100))
        idle = http.client.HTTPConnection("127.0.0.1", local.port, timeout=10)
        signed_call(idle, local.endpoint, "ListTables", {})  # leaves an idle keep-alive connection
        try:
            assert local.stop(sig) == 0
        finally:
            idle.close()
        assert "Traceback" not in local.read_stderr()
