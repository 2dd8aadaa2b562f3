"""ConsumedCapacity: ceil(size / 1 KB) units per item, DynamoDB's response shapes."""

import pytest

from conftest import create_table, sized_item

SIZES = [(1024, 1), (1536, 2), (4096, 4)]


@pytest.mark.parametrize("size,units", SIZES)
def test_batch_write_total(ddb, size, units):
    table = create_table(ddb)
    response = ddb.batch_write_item(
        RequestItems={table: [{"PutRequest": {"Item": sized_item("k", size)}}]}, ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": float(units)}]


@pytest.mark.parametrize("size,units", SIZES)
def test_batch_write_indexes(ddb, size, units):
    table = create_table(ddb)
    response = ddb.batch_write_item(
        RequestItems={table: [{"PutRequest": {"Item": sized_item("k", size)}}]}, ReturnConsumedCapacity="INDEXES")
    assert response["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": float(units), "Table": {"CapacityUnits": float(units)}}]


def test_batch_write_sums_items_per_table(ddb):
    first, second = create_table(ddb), create_table(ddb)
    response = ddb.batch_write_item(RequestItems={
        first: [{"PutRequest": {"Item": sized_item(f"k{size}", size)}} for size, _ in SIZES],
        second: [{"PutRequest": {"Item": sized_item("k", 10)}}],
    }, ReturnConsumedCapacity="TOTAL")
    assert sorted(response["ConsumedCapacity"], key=lambda c: c["TableName"] != first) == [
        {"TableName": first, "CapacityUnits": 7.0}, {"TableName": second, "CapacityUnits": 1.0}]


@pytest.mark.parametrize("size,units", SIZES)
def test_put_item(ddb, size, units):
    table = create_table(ddb)
    total = ddb.put_item(TableName=table, Item=sized_item("a", size), ReturnConsumedCapacity="TOTAL")
    assert total["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": float(units)}
    indexes = ddb.put_item(TableName=table, Item=sized_item("b", size), ReturnConsumedCapacity="INDEXES")
    assert indexes["ConsumedCapacity"] == {
        "TableName": table, "CapacityUnits": float(units), "Table": {"CapacityUnits": float(units)}}


def test_absent_when_not_requested(ddb):
    table = create_table(ddb)
    response = ddb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": sized_item("k", 4096)}}]})
    assert "ConsumedCapacity" not in response
    response = ddb.batch_write_item(
        RequestItems={table: [{"PutRequest": {"Item": sized_item("j", 4096)}}]}, ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in response
    assert "ConsumedCapacity" not in ddb.put_item(TableName=table, Item=sized_item("p", 100))
    update = ddb.update_item(TableName=table, Key={"pk": {"S": "p"}}, UpdateExpression="SET v = :v",
                             ExpressionAttributeValues={":v": {"S": "1"}})
    assert "ConsumedCapacity" not in update
    assert "ConsumedCapacity" not in ddb.delete_item(TableName=table, Key={"pk": {"S": "p"}})


def test_delete_costs_the_existing_item(ddb):
    table = create_table(ddb)
    ddb.put_item(TableName=table, Item=sized_item("big", 3000))
    batch = ddb.batch_write_item(RequestItems={table: [
        {"DeleteRequest": {"Key": {"pk": {"S": "big"}}}},
        {"DeleteRequest": {"Key": {"pk": {"S": "missing"}}}},
    ]}, ReturnConsumedCapacity="TOTAL")
    assert batch["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 4.0}]
    ddb.put_item(TableName=table, Item=sized_item("again", 2048))
    single = ddb.delete_item(TableName=table, Key={"pk": {"S": "again"}}, ReturnConsumedCapacity="TOTAL")
    assert single["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 2.0}


def test_update_costs_the_larger_of_old_and_new(ddb):
    table = create_table(ddb)
    ddb.put_item(TableName=table, Item=sized_item("u", 1000))
    grown = ddb.update_item(TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET big = :b",
                            ExpressionAttributeValues={":b": {"S": "y" * 3000}}, ReturnConsumedCapacity="TOTAL")
    assert grown["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 4.0}
    shrunk = ddb.update_item(TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="REMOVE big",
                             ReturnConsumedCapacity="INDEXES")
    assert shrunk["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 4.0, "Table": {"CapacityUnits": 4.0}}


def test_transactions_cost_double(ddb):
    table = create_table(ddb)
    response = ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": sized_item("a", 1024)}},
        {"Put": {"TableName": table, "Item": sized_item("b", 1536)}},
    ], ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 6.0}]


def test_stats_count_consumed_units(server, ddb):
    table = create_table(ddb)
    ddb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": sized_item(f"k{size}", size)}} for size, _ in SIZES]})
    stats = server.stats()
    assert stats["consumedUnits"][table] == 7
    assert stats["itemsWritten"][table] == 3


def test_stats_count_the_keys_written_and_those_written_more_than_once(server, ddb):
    table = create_table(ddb)
    ddb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": sized_item(k, 10)}} for k in ("a", "b", "c")]})
    ddb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": sized_item("a", 10)}}]})
    stats = server.stats()
    assert stats["itemsWritten"][table] == 4
    assert stats["distinctKeysWritten"][table] == 3
    assert stats["keysWrittenMoreThanOnce"][table] == 1
