"""DynamoDB's request limits: rejected with ValidationException, nothing stored."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import REPO, count_items, create_table, sized_item
from pollen_local_dynamodb import limits
from pollen_local_dynamodb.errors import DynamoError

NOT_A_NUMBER = "The parameter cannot be converted to a numeric value: "
TOO_MANY_DIGITS = "Attempting to store more than 38 significant digits in a Number"
OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range"


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


@pytest.mark.parametrize("text", [
    "0", "-0", "+5", "1.", ".5", "1e10", "-1.5E-3", "0.000e999999",
    "00000000000000000000000000000000000000000123",  # 44 characters, 3 significant digits
    "9" * 38, "1" + "0" * 100, "-" + "1" * 38 + "0" * 10,
    "9.9999999999999999999999999999999999999E+125", "1E-130", "-1e-130",
])
def test_numbers_dynamodb_accepts(text):
    limits.check_number(text)


@pytest.mark.parametrize("text,message", [
    ("", NOT_A_NUMBER),
    ("abc", NOT_A_NUMBER + "abc"),
    ("1.2.3", NOT_A_NUMBER + "1.2.3"),
    ("0x10", NOT_A_NUMBER + "0x10"),
    ("NaN", NOT_A_NUMBER + "NaN"),
    ("Infinity", NOT_A_NUMBER + "Infinity"),
    ("-Infinity", NOT_A_NUMBER + "-Infinity"),
    (" 1", NOT_A_NUMBER + " 1"),
    ("1\n", NOT_A_NUMBER + "1\n"),
    (".", NOT_A_NUMBER + "."),
    ("-", NOT_A_NUMBER + "-"),
    ("1e", NOT_A_NUMBER + "1e"),
    ("1_000", NOT_A_NUMBER + "1_000"),
    ("\u0661", NOT_A_NUMBER + "\u0661"),  # ARABIC-INDIC DIGIT ONE: a digit, not an ASCII one
    ("x" * 100, NOT_A_NUMBER + "x" * 64),
    ("1" * 39, TOO_MANY_DIGITS),
    ("0.000" + "1" * 20 + "0" + "1" * 18, TOO_MANY_DIGITS),
    ("1E126", OVERFLOW),
    ("-10E125", OVERFLOW),
    ("1e" + "9" * 5000, OVERFLOW),
    ("1E-131", UNDERFLOW),
    ("-0.5e-130", UNDERFLOW),
])
def test_numbers_dynamodb_refuses(text, message):
    with pytest.raises(DynamoError) as excinfo:
        limits.check_number(text)
    assert excinfo.value.error_type == "ValidationException"
    assert excinfo.value.message == message


def test_bad_number_nested_in_a_batch_rejects_it():
    schema = limits.KeySchema("pk", "S", None, None)
    nested = {"M": {"l": {"L": [{"N": "1"}, {"NS": ["2", "1.2.3"]}]}}}
    request_items = {"t": [put({"pk": {"S": "a"}, "n": {"N": "5"}}), put({"pk": {"S": "b"}, "deep": nested})]}
    with pytest.raises(DynamoError) as excinfo:
        limits.validate_batch_write(request_items, lambda table: schema)
    assert excinfo.value.error_type == "ValidationException"
    assert excinfo.value.message == NOT_A_NUMBER + "1.2.3"


def test_number_keys_compare_by_value_with_all_38_digits():
    schema = limits.KeySchema("pk", "N", None, None)
    digits = "1234567890" * 3 + "1234567"
    distinct = [put({"pk": {"N": digits + "1"}}), put({"pk": {"N": digits + "2"}})]
    assert len(limits.validate_batch_write({"t": distinct}, lambda table: schema)) == 2
    for first, second in (("1.50", "15e-1"), ("-0", "0.00")):
        with pytest.raises(DynamoError) as excinfo:
            limits.validate_batch_write({"t": [put({"pk": {"N": first}}), put({"pk": {"N": second}})]},
                                        lambda table: schema)
        assert excinfo.value.message == "Provided list of item keys contains duplicates"


def test_put_item_with_a_number_out_of_range_rejected(ddb):
    table = create_table(ddb)
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "m": {"M": {"ns": {"NS": ["1", "1E126"]}}}})
    assert_validation(excinfo, OVERFLOW)
    assert count_items(ddb, table) == 0


def test_item_size_cases_shared_with_swift():
    """Tests/Fixtures/item-size-cases.json: the same expected sizes hold for Swift's ItemSize."""
    cases = json.loads((REPO / "Tests" / "Fixtures" / "item-size-cases.json").read_text("utf-8"))
    assert len(cases) >= 18
    for case in cases:
        assert limits.item_size(case["item"]) == case["bytes"], case["name"]
