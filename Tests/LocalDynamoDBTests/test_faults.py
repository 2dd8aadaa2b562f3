"""Fault injection, changed at run time through POST /_pollen/faults."""

import time

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError, HTTPClientError

from conftest import create_table, sized_item, start_server


def outcome(client):
    """True when ListTables failed with InternalServerError, False when it succeeded."""
    try:
        client.list_tables(Limit=1)
        return False
    except ClientError as error:
        assert error.response["Error"]["Code"] == "InternalServerError"
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        return True


def test_error_rate_takes_effect_on_the_next_request(server, ddb):
    table = create_table(ddb)
    settings = server.set_faults(error_rate=1.0)
    assert settings["error_rate"] == 1.0
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(TableName=table, Item=sized_item("k", 100))
    assert excinfo.value.response["Error"]["Code"] == "InternalServerError"
    assert excinfo.value.response["Error"]["Message"] == "Internal server error"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    server.set_faults(error_rate=0)
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "k"}})
    ddb.put_item(TableName=table, Item=sized_item("k", 100))
    assert "Item" in ddb.get_item(TableName=table, Key={"pk": {"S": "k"}})
    assert server.stats()["internalErrors"] >= 1


def test_latency_takes_effect_on_the_next_request(server, ddb):
    ddb.list_tables(Limit=1)  # warm the connection
    server.set_faults(latency_ms=300)
    started = time.monotonic()
    ddb.list_tables(Limit=1)
    assert time.monotonic() - started >= 0.3
    server.set_faults(latency_ms=0)
    started = time.monotonic()
    ddb.list_tables(Limit=1)
    assert time.monotonic() - started < 0.25


def test_get_returns_the_full_settings(server):
    server.set_faults(error_rate=0.25, latency_ms=5, latency_jitter_ms=2, reset_rate=0.1, seed=7)
    settings = server.admin("/_pollen/faults")
    assert settings == {"error_rate": 0.25, "latency_ms": 5, "latency_jitter_ms": 2, "reset_rate": 0.1,
                        "seed": 7, "table_wcu": {}, "burst_seconds": 0.0, "expired_credentials": False,
                        "bucket": "per-second", "key_wcu": None, "throttling_reasons": True, "fail_next": 0}


def test_fail_next_refuses_exactly_that_many_requests(server):
    client = server.client()
    server.set_faults(fail_next=2)
    for _ in range(2):
        with pytest.raises(ClientError) as excinfo:
            client.list_tables(Limit=1)
        assert excinfo.value.response["Error"]["Code"] == "InternalServerError"
    client.list_tables(Limit=1)
    assert server.admin("/_pollen/faults")["fail_next"] == 0


def test_bad_settings_are_refused(server):
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as excinfo:
        server.set_faults(error_rate=2)
    assert excinfo.value.code == 400
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        server.set_faults(errorrate=0.5)
    assert excinfo.value.code == 400


def test_same_seed_same_fault_sequence(server):
    client = server.client()
    server.set_faults(error_rate=0.5, seed=1234)
    first = [outcome(client) for _ in range(30)]
    assert any(first) and not all(first)
    server.set_faults(seed=1234)  # re-seed
    assert [outcome(client) for _ in range(30)] == first

    other = start_server("--error-rate", "0.5", "--seed", "1234")
    try:
        assert [outcome(other.client()) for _ in range(30)] == first
    finally:
        assert other.stop() == 0

    server.set_faults(seed=99)
    assert [outcome(client) for _ in range(30)] != first


def test_reset_after_apply_drops_the_connection_but_stores_the_item(server, ddb):
    table = create_table(ddb)
    server.set_faults(reset_rate=1.0)
    before = server.stats()["resets"]
    with pytest.raises((ConnectionClosedError, EndpointConnectionError, HTTPClientError)):
        ddb.put_item(TableName=table, Item=sized_item("kept", 100))
    server.set_faults(reset_rate=0)
    assert "Item" in ddb.get_item(TableName=table, Key={"pk": {"S": "kept"}})
    assert server.stats()["resets"] == before + 1


def test_reset_after_apply_in_a_batch(server, ddb):
    table = create_table(ddb)
    server.set_faults(reset_rate=1.0)
    with pytest.raises((ConnectionClosedError, EndpointConnectionError, HTTPClientError)):
        ddb.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": sized_item(f"k{i}", 100)}} for i in range(25)]})
    server.set_faults(reset_rate=0)
    assert ddb.scan(TableName=table, Select="COUNT")["Count"] == 25


def test_expired_credentials_refuse_every_request_until_cleared(server, ddb):
    table = create_table(ddb)
    assert server.set_faults(expired_credentials=True)["expired_credentials"] is True
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(TableName=table, Item=sized_item("k", 100))
    error = excinfo.value.response
    assert error["Error"]["Code"] == "ExpiredTokenException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    server.set_faults(expired_credentials=False)
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "k"}})
