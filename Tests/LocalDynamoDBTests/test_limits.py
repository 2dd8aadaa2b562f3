"""DynamoDB's request limits: rejected with ValidationException, nothing stored."""

import pytest
from botocore.exceptions import ClientError

from conftest import count_items, create_table, sized_item


def put(item):
    return {"PutRequest": {"Item": item}}


def assert_validation(excinfo, fragment):
    error = excinfo.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert fragment in error["Message"]


def test_26_requests_rejected(ddb):
    table = create_table(ddb)
    requests = [put(sized_item(f"k{i}", 100)) for i in range(26)]
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(RequestItems={table: requests})
    assert_validation(excinfo, "length less than or equal to 25")
    assert count_items(ddb, table) == 0


def test_26_requests_across_two_tables_rejected(ddb):
    first, second = create_table(ddb), create_table(ddb)
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(RequestItems={
            first: [put(sized_item(f"a{i}", 100)) for i in range(13)],
            second: [put(sized_item(f"b{i}", 100)) for i in range(13)],
        })
    assert_validation(excinfo, "Too many items requested for the BatchWriteItem call")
    assert count_items(ddb, first) == 0
    assert count_items(ddb, second) == 0


def test_25_requests_accepted(ddb):
    table = create_table(ddb)
    response = ddb.batch_write_item(RequestItems={table: [put(sized_item(f"k{i}", 100)) for i in range(25)]})
    assert response["UnprocessedItems"] == {}
    assert count_items(ddb, table) == 25


def test_duplicate_keys_with_different_attributes_rejected(ddb):
    table = create_table(ddb)
    requests = [put(sized_item(f"k{i}", 100)) for i in range(5)]
    requests.append(put({"pk": {"S": "k2"}, "other": {"N": "7"}}))
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(RequestItems={table: requests})
    assert_validation(excinfo, "Provided list of item keys contains duplicates")
    assert count_items(ddb, table) == 0


def test_duplicate_put_and_delete_on_composite_key_rejected(ddb):
    table = create_table(ddb, range_key=True)
    requests = [
        put({"pk": {"S": "a"}, "sk": {"S": "1"}, "v": {"S": "x"}}),
        put({"pk": {"S": "a"}, "sk": {"S": "2"}, "v": {"S": "x"}}),
        {"DeleteRequest": {"Key": {"pk": {"S": "a"}, "sk": {"S": "1"}}}},
    ]
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(RequestItems={table: requests})
    assert_validation(excinfo, "Provided list of item keys contains duplicates")
    assert count_items(ddb, table) == 0


def test_same_key_in_two_tables_is_not_a_duplicate(ddb):
    first, second = create_table(ddb), create_table(ddb)
    ddb.batch_write_item(RequestItems={first: [put(sized_item("k", 50))], second: [put(sized_item("k", 50))]})
    assert count_items(ddb, first) == 1
    assert count_items(ddb, second) == 1


def test_item_over_400kb_rejected_and_exactly_400kb_accepted(ddb):
    table = create_table(ddb)
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(RequestItems={table: [put(sized_item("big", 409_601))]})
    assert_validation(excinfo, "Item size has exceeded the maximum allowed size")
    assert count_items(ddb, table) == 0

    ddb.batch_write_item(RequestItems={table: [put(sized_item("max", 409_600))]})
    stored = ddb.get_item(TableName=table, Key={"pk": {"S": "max"}})["Item"]
    assert len(stored["data"]["S"]) == 409_600 - len("pk") - len("max") - len("data")


def test_put_item_over_400kb_rejected(ddb):
    table = create_table(ddb)
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(TableName=table, Item=sized_item("big", 409_601))
    assert_validation(excinfo, "Item size has exceeded the maximum allowed size")
    ddb.put_item(TableName=table, Item=sized_item("max", 409_600))
    assert count_items(ddb, table) == 1


def test_one_bad_item_in_the_middle_rejects_the_whole_batch(ddb):
    table = create_table(ddb)
    requests = [put(sized_item(f"k{i}", 500)) for i in range(24)]
    requests.insert(12, put(sized_item("too-big", 409_601)))
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(RequestItems={table: requests})
    assert_validation(excinfo, "Item size has exceeded the maximum allowed size")
    assert count_items(ddb, table) == 0


def test_missing_key_in_the_middle_rejects_the_whole_batch(ddb):
    table = create_table(ddb)
    requests = [put(sized_item(f"k{i}", 100)) for i in range(10)]
    requests.insert(5, put({"data": {"S": "no key"}}))
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(RequestItems={table: requests})
    assert_validation(excinfo, "Missing the key pk in the item")
    assert count_items(ddb, table) == 0


def test_transaction_with_two_operations_on_one_item_rejected(ddb):
    table = create_table(ddb)
    with pytest.raises(ClientError) as excinfo:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": sized_item("a", 100)}},
            {"Update": {"TableName": table, "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET v = :v",
                        "ExpressionAttributeValues": {":v": {"S": "1"}}}},
        ])
    assert_validation(excinfo, "Transaction request cannot include multiple operations on one item")
    assert count_items(ddb, table) == 0


def test_validation_errors_are_counted(server, ddb):
    table = create_table(ddb)
    before = server.stats()["validationErrors"]
    with pytest.raises(ClientError):
        ddb.batch_write_item(RequestItems={table: [put(sized_item("k", 100))] * 2})
    assert server.stats()["validationErrors"] == before + 1
