"""Small in-process adjustments to moto's DynamoDB model.

moto enforces its own item size limit (405,000 bytes by its own counting
rule, re-summed on every attribute insert, which is quadratic in the number
of attributes). That would reject items DynamoDB accepts (up to 409,600 bytes
by DynamoDB's rule) and slow down wide items. Writes of whole items are
checked by :mod:`limits` before they reach moto, so moto's check is switched
off; update expressions, whose result is only known after moto applies them,
are checked here with DynamoDB's rule and rolled back when too large.

moto's BatchWriteItem also calls two identical *items* in different tables
duplicates (DynamoDB compares keys within a table); :mod:`limits` has already
checked duplicates properly, so moto's check is skipped for that operation.
"""

import copy
import threading

_applied = False


def apply():
    global _applied
    if _applied:
        return
    _applied = True

    import moto.dynamodb.models as models
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import LimitedSizeDict

    from .limits import MAX_ITEM_BYTES, item_size

    LimitedSizeDict.__setitem__ = dict.__setitem__

    base = models.UpdateExpressionExecutor

    class SizeCheckedUpdateExecutor(base):
        """Runs an update expression; undoes it if the item ends up over 400 KB."""

        def execute(self, node=None):
            if node is not None:
                return super().execute(node)
            before = copy.deepcopy(self.item.attrs)
            super().execute()
            try:
                size = item_size(self.item.to_json()["Attributes"])
            except Exception:
                return None
            if size > MAX_ITEM_BYTES:
                self.item.attrs = before
                raise ItemSizeTooLarge()
            return None

    models.UpdateExpressionExecutor = SizeCheckedUpdateExecutor

    from moto.dynamodb.responses import DynamoHandler

    in_batch_write = threading.local()
    original_batch_write = DynamoHandler.batch_write_item
    original_contains_duplicates = DynamoHandler._contains_duplicates

    def batch_write_item(self):
        in_batch_write.active = True
        try:
            return original_batch_write(self)
        finally:
            in_batch_write.active = False

    def contains_duplicates(self, keys):
        if getattr(in_batch_write, "active", False):
            return False
        return original_contains_duplicates(self, keys)

    DynamoHandler.batch_write_item = batch_write_item
    DynamoHandler._contains_duplicates = contains_duplicates
