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


def test_concurrent_conditional_updates_of_one_item_never_lose_one(ddb):
    """moto checks a condition and applies the write in separate steps on several threads; as in
    DynamoDB, of writers racing on `version = :read`, exactly the ones told they succeeded land."""
    import threading

    table = create_table(ddb)
    ddb.put_item(TableName=table, Item={"pk": {"S": "IBM"}, "version": {"N": "0"}, "marks": {"L": []}})
    succeeded = []

    def writer(name):
        for _ in range(15):
            item = ddb.get_item(TableName=table, Key={"pk": {"S": "IBM"}}, ConsistentRead=True)["Item"]
            try:
                ddb.update_item(
                    TableName=table, Key={"pk": {"S": "IBM"}},
                    UpdateExpression="SET version = :next, marks = list_append(marks, :mark)",
                    ConditionExpression="version = :read",
                    ExpressionAttributeValues={":read": item["version"], ":next": {"N": str(int(item["version"]["N"]) + 1)},
                                               ":mark": {"L": [{"S": name}]}})
                succeeded.append(name)
            except ddb.exceptions.ConditionalCheckFailedException:
                pass

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    item = ddb.get_item(TableName=table, Key={"pk": {"S": "IBM"}}, ConsistentRead=True)["Item"]
    assert int(item["version"]["N"]) == len(succeeded)
    assert len(item["marks"]["L"]) == len(succeeded)
