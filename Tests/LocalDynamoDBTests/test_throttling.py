"""Per-table write capacity: UnprocessedItems, ProvisionedThroughputExceededException."""

import threading
import time

import pytest
from botocore.exceptions import ClientError

from conftest import count_items, create_table, sized_item

THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException"


def test_provisioned_100_wcu_under_load(server):
    client = server.client()
    table = create_table(client, wcu=100)
    # 3 units an item, 75 a batch of 25: whichever batch comes second in a
    # second finds 25 of its 100 units left and is answered partially (8 items
    # written, 17 unprocessed), however the second boundaries fall between the
    # requests. (Batches of 1-unit items could sum to exactly 100 in every
    # second and never meet a partial answer: a CI run did.)
    items = [sized_item(f"item-{i:05d}", 3000) for i in range(700)]
    batches = [items[start:start + 25] for start in range(0, len(items), 25)]
    lock = threading.Lock()
    seen = {"unprocessed": 0, "throttled": 0, "calls": 0}
    errors = []

    def worker(local):
        try:
            while True:
                with lock:
                    if not batches:
                        return
                    pending = {table: [{"PutRequest": {"Item": item}} for item in batches.pop()]}
                while pending:
                    try:
                        response = local.batch_write_item(RequestItems=pending)
                    except ClientError as error:
                        assert error.response["Error"]["Code"] == THROUGHPUT_EXCEEDED, error
                        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
                        with lock:
                            seen["throttled"] += 1
                        time.sleep(0.05)
                        continue
                    with lock:
                        seen["calls"] += 1
                    pending = response["UnprocessedItems"]
                    if pending:
                        assert set(pending) == {table}
                        with lock:
                            seen["unprocessed"] += 1
                        time.sleep(0.05)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(server.client(),)) for _ in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    elapsed = time.monotonic() - started
    assert not errors, errors

    stats = server.stats()
    assert 0 < stats["maxUnitsPerSecond"][table] <= 100
    assert all(units <= 100 for _, units in stats["unitsPerSecond"][table])
    assert seen["unprocessed"] > 0 and seen["throttled"] > 0, seen
    assert stats["throttledByTable"][table] == seen["throttled"]
    assert stats["unprocessedByTable"][table] > 0
    assert stats["unprocessedResponsesByTable"][table] == seen["unprocessed"], "responses with unprocessed items"
    assert stats["consumedUnits"][table] == 2100
    assert stats["itemsWritten"][table] == 700
    # 2,100 units at 100 per second need 21 distinct seconds: more than 20 s.
    assert elapsed >= 19.9
    assert len(stats["unitsPerSecond"][table]) >= 21
    assert count_items(client, table) == 700


def test_nothing_fits_means_exception_and_nothing_stored(server):
    client = server.client()
    table = create_table(client)
    server.set_faults(table_wcu={table: 5})
    try:
        # The table's 5 units may already be partly spent in this second by
        # the first call; the second batch, within the same second, gets none.
        items = [{"PutRequest": {"Item": sized_item(f"k{i}", 100)}} for i in range(10)]
        second = int(server.stats()["second"])
        while int(server.stats()["second"]) == second:
            time.sleep(0.01)
        first = client.batch_write_item(RequestItems={table: items})
        assert len(first["UnprocessedItems"][table]) == 5
        with pytest.raises(ClientError) as excinfo:
            client.batch_write_item(RequestItems={table: items[5:]})
        error = excinfo.value.response
        assert error["Error"]["Code"] == "ThrottlingException", "an on-demand table answers ThrottlingException"
        assert error["Error"]["Message"].startswith("Throughput exceeds the current capacity of your table")
        assert count_items(client, table) == 5
    finally:
        server.set_faults(table_wcu={table: None})


def test_on_demand_tables_are_unlimited_without_table_wcu(server):
    client = server.client()
    table = create_table(client)
    for batch in range(8):
        response = client.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": sized_item(f"k{batch}-{i}", 4000)}} for i in range(25)]})
        assert response["UnprocessedItems"] == {}
    assert server.stats()["maxUnitsPerSecond"][table] >= 200


def test_single_writes_are_throttled_all_or_nothing(server):
    client = server.client()
    table = create_table(client, wcu=3)
    second = int(server.stats()["second"])
    while int(server.stats()["second"]) == second:
        time.sleep(0.01)
    client.put_item(TableName=table, Item=sized_item("a", 2048))  # 2 units
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName=table, Item=sized_item("b", 2048))  # 2 more do not fit
    assert excinfo.value.response["Error"]["Code"] == THROUGHPUT_EXCEEDED
    assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "b"}})


def test_an_item_larger_than_a_second_is_granted_into_an_untouched_second(server):
    client = server.client()
    table = create_table(client, wcu=2)
    response = client.put_item(TableName=table, Item=sized_item("huge", 5000), ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"]["CapacityUnits"] == 5.0


def test_burst_seconds_keep_unused_units(server):
    client = server.client()
    table = create_table(client)
    settings = server.set_faults(table_wcu={table: 10}, burst_seconds=2)
    assert settings["table_wcu"][table] == 10 and settings["burst_seconds"] == 2
    try:
        client.put_item(TableName=table, Item=sized_item("first", 100))  # 1 of this second's 10 units
        time.sleep(2.2)  # at least two whole seconds pass: 9 + 10 unused units go to the pool (cap 20)
        response = client.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": sized_item(f"k{i}", 100)}} for i in range(25)]})
        assert response["UnprocessedItems"] == {}
    finally:
        settings = server.set_faults(table_wcu={table: None}, burst_seconds=0)
    assert table not in settings["table_wcu"] and settings["burst_seconds"] == 0


def test_table_wcu_settings_merge(server):
    server.set_faults(table_wcu={"a": 1, "b": 2})
    assert server.set_faults(table_wcu={"b": None, "c": 3})["table_wcu"] == {"a": 1, "c": 3}
    assert server.set_faults(table_wcu={"a": None, "c": None})["table_wcu"] == {}


def test_stats_reset(server):
    client = server.client()
    client.list_tables(Limit=1)
    assert server.stats()["requests"] > 0
    zeroed = server.admin("/_pollen/stats/reset", {})
    assert zeroed["requests"] == 0 and zeroed["consumedUnits"] == {} and zeroed["requestsByOperation"] == {}
    client.list_tables(Limit=1)
    assert server.stats()["requestsByOperation"] == {"ListTables": 1}
