"""The table operations where moto falls short of DynamoDB: ``OnDemandThroughput``.

moto ignores ``OnDemandThroughput`` (an on-demand table's maximum request units). These
handlers validate it on ``CreateTable`` and ``UpdateTable``, keep it in the capacity manager
(which enforces ``MaxWriteRequestUnits`` as the table's limit) and add it to every table
description, as DynamoDB returns it (``-1``: no maximum). ``WarmThroughput`` comes from moto
(4,000 write units per second for a new on-demand table, the provisioned WCU otherwise).
"""

import json

from .errors import validation_error

NO_MAXIMUM = -1


def _dumps(obj):
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def _maximum(value, name):
    """A MaxRead/WriteRequestUnits value: -1 (none) or at least 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or (value != NO_MAXIMUM and value < 1):
        raise validation_error(
            f"One or more parameter values were invalid: {name} must be -1 or greater than or equal to 1"
        )
    return value


def parse_on_demand(request, on_demand):
    """The requested ``(MaxReadRequestUnits, MaxWriteRequestUnits)``, or None when absent."""
    spec = request.get("OnDemandThroughput")
    if spec is None:
        return None
    if not isinstance(spec, dict) or not spec:
        raise validation_error(
            "One or more parameter values were invalid: OnDemandThroughput must specify MaxReadRequestUnits, "
            "MaxWriteRequestUnits, or both"
        )
    if not on_demand:
        raise validation_error(
            "One or more parameter values were invalid: OnDemandThroughput is only supported for tables in "
            "PAY_PER_REQUEST billing mode"
        )
    return (_maximum(spec.get("MaxReadRequestUnits"), "MaxReadRequestUnits"),
            _maximum(spec.get("MaxWriteRequestUnits"), "MaxWriteRequestUnits"))


class TableHandlers:
    """CreateTable, UpdateTable, DescribeTable and DeleteTable, with ``OnDemandThroughput``."""

    def __init__(self, capacity, forward):
        self.capacity = capacity
        self.forward = forward
        self._read_max = {}

    def table(self):
        return {
            "CreateTable": self.create_table,
            "UpdateTable": self.update_table,
            "DescribeTable": self.describe_table,
            "DeleteTable": self.delete_table,
        }

    def create_table(self, call):
        request = call.json
        name = request.get("TableName")
        requested = parse_on_demand(request, request.get("BillingMode") == "PAY_PER_REQUEST")
        response = self.forward(call, call.body)
        if response.status != 200:
            return response
        self._forget(name)
        if requested is not None:
            self._store(name, *requested)
        return self._described(response, "TableDescription")

    def update_table(self, call):
        request = call.json
        name = request.get("TableName")
        billing = request.get("BillingMode")
        if billing is None:
            try:
                billing = "PROVISIONED" if not call.backend.table(name).on_demand else "PAY_PER_REQUEST"
            except Exception:  # moto answers the missing table below
                billing = "PAY_PER_REQUEST"
        requested = parse_on_demand(request, billing == "PAY_PER_REQUEST")
        response = self.forward(call, call.body)
        if response.status != 200:
            return response
        if billing == "PROVISIONED":
            self._forget(name)
        elif requested is not None:
            read, write = requested
            self._store(name, read if read is not None else self._read_max.get(name, NO_MAXIMUM),
                        write if write is not None else (self.capacity.on_demand_max(name) or NO_MAXIMUM))
        return self._described(response, "TableDescription")

    def describe_table(self, call):
        response = self.forward(call, call.body)
        if response.status != 200:
            return response
        return self._described(response, "Table")

    def delete_table(self, call):
        response = self.forward(call, call.body)
        if response.status == 200:
            self._forget(call.json.get("TableName"))
        return response

    # -- helpers ----------------------------------------------------------

    def _store(self, name, read, write):
        self._read_max[name] = read if read is not None else NO_MAXIMUM
        self.capacity.set_on_demand_max(name, write)

    def _forget(self, name):
        self._read_max.pop(name, None)
        self.capacity.forget(name)

    def _described(self, response, member):
        """The response with ``OnDemandThroughput`` in its table description (on-demand tables)."""
        try:
            body = json.loads(response.body)
            description = body[member]
        except (ValueError, KeyError, TypeError):
            return response
        name = description.get("TableName")
        if (description.get("BillingModeSummary") or {}).get("BillingMode") != "PAY_PER_REQUEST":
            return response
        description["OnDemandThroughput"] = {
            "MaxReadRequestUnits": self._read_max.get(name, NO_MAXIMUM),
            "MaxWriteRequestUnits": self.capacity.on_demand_max(name) or NO_MAXIMUM,
        }
        return response.with_body(_dumps(body))
