"""In-process unit tests of the size rule and the token bucket (no server)."""

import pytest

from pollen_local_dynamodb.capacity import CapacityManager
from pollen_local_dynamodb.limits import item_size, value_size, write_units
from pollen_local_dynamodb.stats import Stats


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Table:
    def __init__(self, name, wcu):
        self.name = name
        self.provisioned_wcu = wcu


@pytest.mark.parametrize("value,size", [
    ({"S": "abc"}, 3),
    ({"S": "é"}, 2),
    ({"N": "123"}, 3),
    ({"N": "-1.50"}, 3),
    ({"N": "0"}, 2),
    ({"B": "AAECAw=="}, 4),
    ({"BOOL": True}, 1),
    ({"NULL": True}, 1),
    ({"L": [{"S": "ab"}, {"N": "1"}]}, 3 + 2 + 1 + 2 + 1),
    ({"M": {"a": {"S": "xy"}}}, 3 + 1 + 2 + 1),
    ({"SS": ["a", "bc"]}, 3),
])
def test_value_sizes(value, size):
    assert value_size(value) == size


def test_item_size_and_units():
    assert item_size({"pk": {"S": "k"}, "data": {"S": "x" * 10}}) == 2 + 1 + 4 + 10
    assert [write_units(s) for s in (0, 1, 1024, 1025, 4096)] == [1, 1, 1, 2, 4]


def make(wcu=10, burst_seconds=0):
    clock, stats = Clock(), Stats()
    return CapacityManager(stats, {}, burst_seconds, clock=clock), clock, stats, Table("t", wcu)


def test_at_most_wcu_per_second_without_burst():
    capacity, clock, stats, table = make(10)
    flags, _ = capacity.grant_each([(table, 4)] * 4)
    assert flags == [True, True, False, False]
    assert capacity.grant_all({"t": (table, 3)}) is None
    clock.now += 5  # idle seconds do not accumulate without burst
    flags, _ = capacity.grant_each([(table, 1)] * 12)
    assert flags.count(True) == 10
    assert stats.snapshot(capacity.second())["maxUnitsPerSecond"]["t"] == 10


def test_burst_pool_keeps_unused_units():
    capacity, clock, _, table = make(10, burst_seconds=2)
    capacity.grant_each([(table, 1)])
    clock.now += 10
    flags, _ = capacity.grant_each([(table, 1)] * 35)
    assert flags.count(True) == 30  # 10 this second + 20 of burst


def test_big_item_into_untouched_second_creates_debt():
    capacity, clock, _, table = make(10)
    assert capacity.grant_all({"t": (table, 25)}) is not None
    clock.now += 1
    assert capacity.grant_all({"t": (table, 1)}) is None  # still repaying 15
    clock.now += 1
    assert capacity.grant_all({"t": (table, 5)}) is not None
    assert capacity.grant_all({"t": (table, 1)}) is None
    clock.now += 1
    flags, _ = capacity.grant_each([(table, 1)] * 11)
    assert flags.count(True) == 10


def test_refund_in_the_same_second():
    capacity, _, stats, table = make(10)
    grant = capacity.grant_all({"t": (table, 10)})
    capacity.refund({"t": table}, grant)
    assert capacity.grant_all({"t": (table, 10)}) is not None
    assert stats.snapshot(capacity.second())["consumedUnits"]["t"] == 10


def test_table_wcu_override_and_unlimited():
    capacity, _, _, _ = make()
    on_demand = Table("od", None)
    flags, _ = capacity.grant_each([(on_demand, 1000)] * 5)
    assert all(flags)
    capacity.update(table_wcu={"od": 2})
    flags, _ = capacity.grant_each([(on_demand, 1)] * 3)
    assert flags == [True, True, False]
