"""Throttling as DynamoDB answers it now: the error by billing mode, ThrottlingReasons,
OnDemandThroughput and WarmThroughput in DescribeTable, per-key limits, both bucket models."""

import time

import pytest
from botocore.exceptions import ClientError

from conftest import count_items, create_table, sized_item


def next_second(server):
    """Waits for the start of a new server second (so a whole second's units are there)."""
    second = int(server.stats()["second"])
    while int(server.stats()["second"]) == second:
        time.sleep(0.01)


def puts(prefix, count, size=100, pk=None):
    return [{"PutRequest": {"Item": sized_item(pk or f"{prefix}{i}", size) if pk is None
                            else dict(sized_item(pk, size), sk={"S": f"{prefix}{i}"})}} for i in range(count)]


def refused(client, table, requests):
    with pytest.raises(ClientError) as excinfo:
        client.batch_write_item(RequestItems={table: requests})
    return excinfo.value.response


def reasons_of(error):
    """The reasons in the raw error body botocore parsed (either spelling)."""
    return error.get("ThrottlingReasons") or error.get("throttlingReasons") or []


def test_provisioned_table_answers_provisioned_throughput_exceeded_with_reasons(server):
    client = server.client()
    table = create_table(client, wcu=5)
    next_second(server)
    client.batch_write_item(RequestItems={table: puts("a", 5)})
    error = refused(client, table, puts("b", 5))
    assert error["Error"]["Code"] == "ProvisionedThroughputExceededException"
    reasons = reasons_of(error)
    assert [r["reason"] for r in reasons] == ["TableWriteProvisionedThroughputExceeded"]
    assert reasons[0]["resource"].endswith(":table/" + table)
    assert server.stats()["throttledByReason"]["TableWriteProvisionedThroughputExceeded"] >= 1


def test_on_demand_table_with_an_unannounced_limit_answers_throttling_exception(server):
    client = server.client()
    table = create_table(client)
    server.set_faults(table_wcu={table: 5})
    try:
        next_second(server)
        client.batch_write_item(RequestItems={table: puts("a", 5)})
        error = refused(client, table, puts("b", 5))
        assert error["Error"]["Code"] == "ThrottlingException"
        assert [r["reason"] for r in reasons_of(error)] == ["TableWriteAccountLimitExceeded"]
        described = client.describe_table(TableName=table)["Table"]
        assert described["OnDemandThroughput"]["MaxWriteRequestUnits"] == -1, "the limit is not announced"
    finally:
        server.set_faults(table_wcu={table: None})


def test_on_demand_maximum_is_stored_described_enforced_and_updated(server):
    client = server.client()
    table = create_table(client, max_wcu=5)
    described = client.describe_table(TableName=table)["Table"]
    assert described["OnDemandThroughput"] == {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": 5}
    assert described["WarmThroughput"]["WriteUnitsPerSecond"] == 4000
    next_second(server)
    response = client.batch_write_item(RequestItems={table: puts("a", 8)})
    assert len(response["UnprocessedItems"][table]) == 3
    error = refused(client, table, puts("b", 3))
    assert error["Error"]["Code"] == "ThrottlingException"
    assert [r["reason"] for r in reasons_of(error)] == ["TableWriteMaxOnDemandThroughputExceeded"]

    updated = client.update_table(TableName=table, OnDemandThroughput={"MaxWriteRequestUnits": 50})
    assert updated["TableDescription"]["OnDemandThroughput"]["MaxWriteRequestUnits"] == 50
    next_second(server)
    assert client.batch_write_item(RequestItems={table: puts("c", 25)})["UnprocessedItems"] == {}
    client.update_table(TableName=table, OnDemandThroughput={"MaxWriteRequestUnits": -1})
    assert client.describe_table(TableName=table)["Table"]["OnDemandThroughput"]["MaxWriteRequestUnits"] == -1


def test_on_demand_throughput_is_validated(server):
    client = server.client()
    with pytest.raises(ClientError) as excinfo:
        create_table(client, max_wcu=0)
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    table = create_table(client, wcu=5)
    with pytest.raises(ClientError) as excinfo:
        client.update_table(TableName=table, OnDemandThroughput={"MaxWriteRequestUnits": 10})
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    assert "OnDemandThroughput" not in client.describe_table(TableName=table)["Table"]


def test_a_re_created_table_forgets_its_maximum(server):
    client = server.client()
    table = create_table(client, max_wcu=5)
    client.delete_table(TableName=table)
    create_table(client, table)
    assert client.describe_table(TableName=table)["Table"]["OnDemandThroughput"]["MaxWriteRequestUnits"] == -1


@pytest.mark.parametrize("bucket", ["per-second", "continuous"])
def test_a_hot_key_is_throttled_and_the_other_keys_are_not(server, bucket):
    client = server.client()
    table = create_table(client, range_key=True)
    server.set_faults(key_wcu=5, bucket=bucket)
    next_second(server)
    hot = client.batch_write_item(RequestItems={table: puts("h", 10, pk="HOT")})
    assert len(hot["UnprocessedItems"][table]) == 5
    error = refused(client, table, puts("x", 5, pk="HOT"))
    assert error["Error"]["Code"] == "ThrottlingException"
    assert [r["reason"] for r in reasons_of(error)] == ["TableWriteKeyRangeThroughputExceeded"]
    cold = client.batch_write_item(RequestItems={table: [r for i in range(5) for r in puts("c", 1, pk=f"COLD{i}")]})
    assert cold["UnprocessedItems"] == {}
    assert count_items(client, table) == 10


def test_reasons_can_be_switched_off(server):
    client = server.client()
    table = create_table(client, wcu=2)
    server.set_faults(throttling_reasons=False)
    next_second(server)
    client.batch_write_item(RequestItems={table: puts("a", 2)})
    error = refused(client, table, puts("b", 2))
    assert error["Error"]["Code"] == "ProvisionedThroughputExceededException"
    assert reasons_of(error) == []


def test_continuous_bucket_grants_the_rate_over_any_window(server):
    client = server.client()
    table = create_table(client, wcu=20)
    server.set_faults(bucket="continuous")
    granted, started = 0, time.monotonic()
    while time.monotonic() - started < 3:
        try:
            response = client.batch_write_item(RequestItems={table: puts(f"t{granted}-", 5)})
            granted += 5 - len(response["UnprocessedItems"].get(table, []))
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    # One second's units to start with, then 20 per second, whatever the second boundaries.
    assert 20 + 20 * (elapsed - 0.2) <= granted <= 20 + 20 * elapsed + 5
