"""The DynamoDB write operations, as DynamoDB does them.

Each handler validates the whole request (limits), prices it in write units,
asks the capacity manager for them, forwards only what was granted to moto,
and answers with real ``ConsumedCapacity`` / ``UnprocessedItems``. A write
that moto refuses gives its units back (except a failed condition, which
DynamoDB charges too).
"""

import json
import threading

from .errors import throughput_exceeded, validation_error
from .limits import (
    check_item_size,
    item_key,
    key_key,
    validate_batch_write,
    validate_transact_write,
    write_units,
)

CAPACITY_MODES = ("NONE", "TOTAL", "INDEXES")


def dumps(obj):
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def capacity_mode(request):
    mode = request.get("ReturnConsumedCapacity", "NONE")
    if mode not in CAPACITY_MODES:
        raise validation_error(
            f"1 validation error detected: Value '{mode}' at 'returnConsumedCapacity' failed to satisfy "
            "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
        )
    return mode


def consumed(table, units, mode):
    entry = {"TableName": table, "CapacityUnits": float(units)}
    if mode == "INDEXES":
        entry["Table"] = {"CapacityUnits": float(units)}
    return entry


def _condition_failed(response):
    return b"ConditionalCheckFailed" in response.body


class TableCache:
    """TableInfo lookups for one request (one moto lookup per table name)."""

    def __init__(self, backend):
        self._backend = backend
        self._infos = {}

    def __call__(self, name):
        info = self._infos.get(name)
        if info is None:
            info = self._infos[name] = self._backend.table(name)
        return info


class WriteHandlers:
    """BatchWriteItem, PutItem, UpdateItem, DeleteItem and TransactWriteItems."""

    def __init__(self, capacity, stats, forward):
        self.capacity = capacity
        self.stats = stats
        self._forward = forward  # (call, body_bytes) -> Response
        # moto checks a write's condition and applies it in separate steps, and serves requests
        # on several threads: two conditional updates of one item could both pass their check
        # (a lost update DynamoDB never allows). Writes reach moto one at a time, as they apply
        # in DynamoDB: atomically. Injected latency is spent before, outside this lock.
        self._writes = threading.Lock()

    def forward(self, call, body):
        """Hands one write to moto, alone."""
        with self._writes:
            return self._forward(call, body)

    def table(self):
        return {
            "BatchWriteItem": self.batch_write_item,
            "PutItem": self.put_item,
            "UpdateItem": self.update_item,
            "DeleteItem": self.delete_item,
            "TransactWriteItems": self.transact_write_items,
        }

    # ------------------------------------------------------------ helpers

    def _throttled(self, infos, reasons):
        """Answers a refused request: the error of the (first) refused table's billing mode, with the
        reasons of every refused table."""
        unique = list({info.name: info for info in infos}.values())
        refused = [info for info in unique if info.name in reasons] or unique
        self.stats.throttle(sorted({info.name for info in refused}),
                            sorted({reason for names in reasons.values() for reason in names}))
        listed = []
        if self.capacity.throttling_reasons:
            listed = [(reason, info.arn) for info in refused for reason in sorted(reasons.get(info.name, ()))]
        raise throughput_exceeded(on_demand=refused[0].on_demand, reasons=listed)

    def _single(self, call, info, units, key):
        """All-or-nothing grant + forward for the single-item operations."""
        grant, reasons = self.capacity.grant_all({info.name: (info, units, {partition_of(key): units})})
        if grant is None:
            self._throttled([info], reasons)
        response = self.forward(call, call.body)
        if response.status != 200 and not _condition_failed(response):
            self.capacity.refund(grant)
        return response, grant

    # ------------------------------------------------------------ operations

    def batch_write_item(self, call):
        request = call.json
        mode = capacity_mode(request)
        tables = TableCache(call.backend)
        request_items = request.get("RequestItems")
        writes = validate_batch_write(request_items, lambda name: tables(name).schema)

        priced = []
        for write in writes:
            info = tables(write.table)
            if write.kind == "put":
                units = write_units(write.size)
            else:
                units = write_units(info.existing_size(write.request["DeleteRequest"]["Key"]))
            priced.append((info, units, partition_of(write.key)))
        flags, grant, reasons = self.capacity.grant_each(priced)

        if not any(flags):
            self._throttled([info for info, _, _ in priced], reasons)
        if all(flags):
            body = call.body
            unprocessed = {}
        else:
            granted, unprocessed = {}, {}
            for write, ok in zip(writes, flags):
                (granted if ok else unprocessed).setdefault(write.table, []).append(write.request)
            rewritten = dict(request)
            rewritten["RequestItems"] = granted
            body = dumps(rewritten)

        response = self.forward(call, body)
        if response.status != 200:
            self.capacity.refund(grant)
            return response

        written, units_by_table, keys = {}, {}, {}
        for write, (info, units, _), ok in zip(writes, priced, flags):
            if ok:
                written[info.name] = written.get(info.name, 0) + 1
                units_by_table[write.table] = units_by_table.get(write.table, 0) + units
                if write.kind == "put":
                    keys.setdefault(info.name, []).append(write.key)
        self.stats.written(written, keys)
        for table, requests in unprocessed.items():
            self.stats.unprocessed_items(tables(table).name, len(requests))

        result = {"UnprocessedItems": unprocessed}
        if mode != "NONE":
            result["ConsumedCapacity"] = [
                consumed(table, units_by_table.get(table, 0), mode) for table in request_items
            ]
        if request.get("ReturnItemCollectionMetrics") == "SIZE":
            result["ItemCollectionMetrics"] = {}
        return response.with_body(dumps(result))

    def put_item(self, call):
        request = call.json
        mode = capacity_mode(request)
        info = call.backend.table(request.get("TableName"))
        item = request.get("Item")
        if not isinstance(item, dict):
            raise validation_error(
                "1 validation error detected: Value null at 'item' failed to satisfy constraint: "
                "Member must not be null"
            )
        key = item_key(info.schema, item)
        size = check_item_size(item)
        old = info.existing_size(item)
        units = max(write_units(size), write_units(old) if old else 0)
        response, grant = self._single(call, info, units, key)
        if response.status != 200:
            return response
        self.stats.written({info.name: 1})
        if mode == "NONE":
            return response  # moto adds nothing then: its bytes go out unchanged
        result = json.loads(response.body or b"{}")
        result["ConsumedCapacity"] = consumed(request["TableName"], grant.total, mode)
        return response.with_body(dumps(result))

    @staticmethod
    def _keyed(call):
        """The request, its capacity mode, its table and its (validated) key: what DeleteItem and UpdateItem start from."""
        request = call.json
        info = call.backend.table(request.get("TableName"))
        key = request.get("Key")
        identity = key_key(info.schema, key)
        return request, capacity_mode(request), info, key, identity

    def delete_item(self, call):
        request, mode, info, key, identity = self._keyed(call)
        units = write_units(info.existing_size(key))
        response, grant = self._single(call, info, units, identity)
        if response.status != 200:
            return response
        self.stats.written({info.name: 1})
        result = json.loads(response.body or b"{}")
        result.pop("ConsumedCapacityUnits", None)  # a 2011 API field moto adds
        result.pop("ConsumedCapacity", None)
        if mode != "NONE":
            result["ConsumedCapacity"] = consumed(request["TableName"], grant.total, mode)
        return response.with_body(dumps(result))

    def update_item(self, call):
        request, mode, info, key, identity = self._keyed(call)
        before = write_units(info.existing_size(key))
        response, grant = self._single(call, info, before, identity)
        if response.status != 200:
            return response
        after = write_units(info.existing_size(key))
        self.capacity.charge_extra(info, max(before, after) - before, grant, partition_of(identity))
        self.stats.written({info.name: 1})
        result = json.loads(response.body or b"{}")
        result.pop("ConsumedCapacity", None)  # moto always adds 0.5
        if mode != "NONE":
            result["ConsumedCapacity"] = consumed(request["TableName"], grant.total, mode)
        return response.with_body(dumps(result))

    def transact_write_items(self, call):
        request = call.json
        mode = capacity_mode(request)
        tables = TableCache(call.backend)
        writes = validate_transact_write(request.get("TransactItems"), lambda name: tables(name).schema)

        per_table = {}
        updates = []
        sent_names = {}
        for write in writes:
            info = tables(write.table)
            sent_names.setdefault(info.name, write.table)
            body = write.request[next(iter(write.request))]
            if write.kind == "put":
                old = info.existing_size(body["Item"])
                units = max(write_units(write.size), write_units(old) if old else 0)
            else:
                units = write_units(info.existing_size(body["Key"]))
                if write.kind == "update":
                    updates.append((info, body["Key"], units, partition_of(write.key)))
            units *= 2  # transactions cost two units per item
            _, previous, partitions = per_table.get(info.name, (info, 0, {}))
            partition = partition_of(write.key)
            partitions[partition] = partitions.get(partition, 0) + units
            per_table[info.name] = (info, previous + units, partitions)

        grant, reasons = self.capacity.grant_all(per_table)
        if grant is None:
            self._throttled([info for info, _, _ in per_table.values()], reasons)
        response = self.forward(call, call.body)
        if response.status != 200:
            self.capacity.refund(grant)
            return response

        for info, key, before, partition in updates:
            after = write_units(info.existing_size(key))
            self.capacity.charge_extra(info, 2 * (max(before, after) - before), grant, partition)
        written = {}
        for write in writes:
            if write.kind != "check":
                name = tables(write.table).name
                written[name] = written.get(name, 0) + 1
        self.stats.written(written)

        result = {}
        if mode != "NONE":
            result["ConsumedCapacity"] = [
                consumed(sent_names[name], units, mode) for name, units in grant.units.items()
            ]
        if request.get("ReturnItemCollectionMetrics") == "SIZE":
            result["ItemCollectionMetrics"] = {}
        return response.with_body(dumps(result))


def partition_of(key):
    """The partition key value of a validated key identity (its first part)."""
    return key[0] if key else None


def is_validation_error(response):
    return response.status == 400 and b"ValidationException" in response.body
