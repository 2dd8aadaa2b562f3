"""Writes that moto alone handles must still work through the wrapper."""

from conftest import count_items, create_table


def test_conditional_transaction_put_of_a_new_key(ddb):
    # Regression: sizing the existing item must not create an empty entry in moto's
    # table, which moto then mistook for an item ("'dict' object has no attribute 'attrs'").
    table = create_table(ddb)
    ddb.put_item(TableName=table, Item={"pk": {"S": "old"}})
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": "new"}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": table, "Key": {"pk": {"S": "old"}}, "UpdateExpression": "SET v = :v",
                    "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": {":v": {"N": "1"}}}},
    ])
    assert count_items(ddb, table) == 2


def test_conditional_put_and_delete_of_missing_keys(ddb):
    table = create_table(ddb, range_key=True)
    ddb.delete_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"S": "2"}},
                 ConditionExpression="attribute_not_exists(pk)")
    assert count_items(ddb, table) == 1
