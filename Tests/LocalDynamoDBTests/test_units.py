"""In-process unit tests of the size rule and the token bucket (no server)."""

import pytest

from pollen_local_dynamodb.capacity import (
    REASON_ACCOUNT,
    REASON_KEY_RANGE,
    REASON_MAX_ON_DEMAND,
    REASON_PROVISIONED,
    CapacityManager,
)
from pollen_local_dynamodb.limits import item_size, value_size, write_units
from pollen_local_dynamodb.stats import Stats


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Table:
    """What the capacity manager reads of a table (backend.TableInfo's fields)."""

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


def make(wcu=10, burst_seconds=0, bucket="per-second", key_wcu=None):
    clock, stats = Clock(), Stats()
    capacity = CapacityManager(stats, {}, burst_seconds, bucket=bucket, key_wcu=key_wcu, clock=clock)
    return capacity, clock, stats, Table("t", wcu)


def each(capacity, table, units, count, partition="A"):
    flags, _, reasons = capacity.grant_each([(table, units, partition)] * count)
    return flags, reasons


def one(capacity, table, units, partition="A"):
    grant, _ = capacity.grant_all({table.name: (table, units, {partition: units})})
    return grant


def test_at_most_wcu_per_second_without_burst():
    capacity, clock, stats, table = make(10)
    flags, reasons = each(capacity, table, 4, 4)
    assert flags == [True, True, False, False]
    assert reasons == {"t": {REASON_PROVISIONED}}
    assert one(capacity, table, 3) is None
    clock.now += 5  # idle seconds do not accumulate without burst
    flags, _ = each(capacity, table, 1, 12)
    assert flags.count(True) == 10
    assert stats.snapshot(capacity.second())["maxUnitsPerSecond"]["t"] == 10


def test_burst_pool_keeps_unused_units():
    capacity, clock, _, table = make(10, burst_seconds=2)
    each(capacity, table, 1, 1)
    clock.now += 10
    flags, _ = each(capacity, table, 1, 35)
    assert flags.count(True) == 30  # 10 this second + 20 of burst


def test_big_item_into_untouched_second_creates_debt():
    capacity, clock, _, table = make(10)
    assert one(capacity, table, 25) is not None
    clock.now += 1
    assert one(capacity, table, 1) is None  # still repaying 15
    clock.now += 1
    assert one(capacity, table, 5) is not None
    assert one(capacity, table, 1) is None
    clock.now += 1
    flags, _ = each(capacity, table, 1, 11)
    assert flags.count(True) == 10


def test_refund_in_the_same_second():
    capacity, _, stats, table = make(10)
    grant = one(capacity, table, 10)
    capacity.refund(grant)
    assert one(capacity, table, 10) is not None
    assert stats.snapshot(capacity.second())["consumedUnits"]["t"] == 10


def test_table_wcu_override_and_unlimited():
    capacity, _, _, _ = make()
    on_demand = Table("od", None)
    flags, _ = each(capacity, on_demand, 1000, 5)
    assert all(flags)
    capacity.update(table_wcu={"od": 2})
    flags, reasons = each(capacity, on_demand, 1, 3)
    assert flags == [True, True, False]
    assert reasons == {"od": {REASON_ACCOUNT}}, "an unannounced limit on an on-demand table is an account limit"


def test_on_demand_maximum_is_the_limit_and_the_lowest_limit_wins():
    capacity, _, _, _ = make()
    on_demand = Table("od", None)
    capacity.set_on_demand_max("od", 3)
    flags, reasons = each(capacity, on_demand, 1, 4)
    assert flags == [True, True, True, False]
    assert reasons == {"od": {REASON_MAX_ON_DEMAND}}
    capacity.set_on_demand_max("od", None)
    capacity.update(table_wcu={"od": 1})
    assert capacity.wcu_for(on_demand) == 1
    capacity.set_on_demand_max("od", 50)
    assert capacity.wcu_for(on_demand) == 1, "the override is lower than the maximum"


def test_continuous_bucket_refills_between_seconds():
    capacity, clock, _, table = make(10, bucket="continuous")
    flags, _ = each(capacity, table, 1, 12)
    assert flags.count(True) == 10, "a new bucket holds one second's units"
    clock.now += 0.5
    flags, _ = each(capacity, table, 1, 6)
    assert flags.count(True) == 5, "half a second refills half of them, whatever the second boundaries"
    clock.now += 30
    flags, _ = each(capacity, table, 1, 15)
    assert flags.count(True) == 10, "without burst the bucket holds one second"


def test_continuous_bucket_keeps_burst_up_to_its_seconds():
    capacity, clock, _, table = make(10, burst_seconds=300, bucket="continuous")
    flags, _ = each(capacity, table, 1, 10)
    assert all(flags)
    clock.now += 100
    flags, _ = each(capacity, table, 10, 110)
    assert flags.count(True) == 100, "100 idle seconds saved 1,000 units"
    clock.now += 1000
    flags, _ = each(capacity, table, 100, 40)
    assert flags.count(True) == 30, "at most 300 seconds are kept"


def test_continuous_bucket_takes_a_big_item_when_full_and_owes_it():
    capacity, clock, _, table = make(10, bucket="continuous")
    assert one(capacity, table, 25) is not None
    clock.now += 1
    assert one(capacity, table, 1) is None, "owing 15, refilled 10"
    clock.now += 0.6
    assert one(capacity, table, 1) is not None


def test_continuous_refund_goes_back_at_any_time():
    capacity, clock, _, table = make(10, bucket="continuous")
    grant = one(capacity, table, 10)
    clock.now += 0.2
    capacity.refund(grant)
    flags, _ = each(capacity, table, 1, 12)
    assert flags.count(True) == 10, "capped at the bucket's size"


@pytest.mark.parametrize("bucket", ["per-second", "continuous"])
def test_key_limit_refuses_the_hot_key_only(bucket):
    capacity, _, _, _ = make(bucket=bucket, key_wcu=5)
    table = Table("t", None)
    flags, _, reasons = capacity.grant_each([(table, 1, "HOT")] * 7 + [(table, 1, "COLD")] * 3)
    assert flags == [True] * 5 + [False] * 2 + [True] * 3
    assert reasons == {"t": {REASON_KEY_RANGE}}


def test_a_write_refused_by_its_key_takes_nothing_from_the_table():
    capacity, _, _, table = make(10, key_wcu=2)
    flags, _, reasons = capacity.grant_each([(table, 1, "HOT")] * 5 + [(table, 1, f"K{i}") for i in range(8)])
    assert flags == [True, True, False, False, False] + [True] * 8
    flags, _, reasons = capacity.grant_each([(table, 1, "OTHER")])
    assert flags == [False] and reasons == {"t": {REASON_PROVISIONED}}, "the table's 10 units are spent"


def test_changing_the_bucket_model_starts_afresh():
    capacity, _, _, table = make(10)
    each(capacity, table, 1, 10)
    capacity.update(bucket="continuous")
    flags, _ = each(capacity, table, 1, 10)
    assert all(flags)
    assert capacity.settings()["bucket"] == "continuous"
