"""Write capacity as DynamoDB grants it: per table and, optionally, per partition key.

Every limited table has a token bucket at its limit, the lowest of its provisioned WCU, its
``OnDemandThroughput.MaxWriteRequestUnits`` (on-demand) and a ``--table-wcu`` override (an
unannounced limit: on an on-demand table it stands for an account or partition limit that
``DescribeTable`` does not show). With ``--key-wcu N`` every partition key value of every table
also has a bucket of N units per second (DynamoDB's is 1,000 WCU per partition).

Two models of the bucket (``--bucket``), because DynamoDB's exact accounting is not public and
a client must not depend on one of them:

- ``per-second`` (default): each second of the server's monotonic clock (counted from start-up)
  grants at most the limit's units, plus a burst pool of unused units of past seconds up to
  ``limit x burst_seconds``. One item needing more than a whole second is granted into an
  untouched second; the excess is a debt the next seconds repay.
- ``continuous``: units accrue continuously at the limit's rate into a bucket holding
  ``limit x max(1, burst_seconds)`` (DynamoDB keeps up to 300 s of unused capacity); a new
  bucket starts with one second's units. An item larger than the bucket goes when the bucket
  is full and leaves it in debt.

Every refusal names the throttling reason of the limit that refused it. Grants are decided
under one lock and recorded in the statistics under it, so concurrent requests can never spend
the same units.
"""

import threading
import time

BUCKET_MODELS = ("per-second", "continuous")

REASON_PROVISIONED = "TableWriteProvisionedThroughputExceeded"
REASON_ACCOUNT = "TableWriteAccountLimitExceeded"
REASON_MAX_ON_DEMAND = "TableWriteMaxOnDemandThroughputExceeded"
REASON_KEY_RANGE = "TableWriteKeyRangeThroughputExceeded"

_UNSET = object()


class PerSecondBucket:
    """One limit's state in the per-second model."""

    __slots__ = ("second", "allowance", "burst", "used", "rate", "touched")

    def __init__(self, now, rate):
        self.second = int(now)   # the second the fields below describe
        self.allowance = rate    # units left in this second (negative: debt)
        self.burst = 0           # accumulated unused units of past seconds
        self.used = 0            # units granted in this second
        self.rate = rate
        self.touched = now

    @property
    def epoch(self):
        return self.second

    def advance(self, now, rate, burst_seconds):
        """Roll the state forward to ``now`` under the current limit."""
        self.touched = now
        second = int(now)
        cap = int(rate * burst_seconds)
        steps = second - self.second
        if steps > 0:
            allowance, burst = self.allowance, self.burst
            for _ in range(steps):
                if allowance > 0:
                    burst = min(cap, burst + allowance)
                    allowance = rate
                else:
                    allowance += rate
                if allowance >= rate and burst >= cap:
                    break  # steady state: further idle seconds change nothing
            self.allowance, self.burst = allowance, burst
            self.second = second
            self.used = 0
        self.rate = rate
        if self.allowance > rate:  # limit lowered at run time
            self.allowance = rate
        if self.burst > cap:
            self.burst = cap

    def fits(self, units):
        allowance = self.allowance if self.allowance > 0 else 0
        return units <= allowance + self.burst or (self.used == 0 and self.allowance >= self.rate)

    def take(self, units):
        """Take ``units`` (the caller checked :meth:`fits`)."""
        allowance = self.allowance if self.allowance > 0 else 0
        if units <= allowance + self.burst:
            from_second = units if units <= allowance else allowance
            self.allowance -= from_second
            self.burst -= units - from_second
        else:
            # An item larger than a whole second: allowed into an untouched second, the rest
            # is owed by the next seconds.
            self.allowance -= units - self.burst
            self.burst = 0
        self.used += units

    def force(self, units):
        """Charge units that were already spent (e.g. an update that grew an item)."""
        self.allowance -= units
        self.used += units

    def give_back(self, units, epoch):
        """Return units granted earlier, if still in the same second."""
        if epoch != self.second:
            return
        self.used -= units
        self.allowance += units
        if self.allowance > self.rate:
            self.burst += self.allowance - self.rate
            self.allowance = self.rate

    def idle(self, now, burst_seconds):
        """Whether a fresh bucket would behave the same (nothing owed, nothing saved up)."""
        return now - self.touched > 1 + burst_seconds and self.allowance >= 0


class ContinuousBucket:
    """One limit's state in the continuous model."""

    __slots__ = ("tokens", "last", "rate", "capacity", "touched")

    def __init__(self, now, rate):
        self.tokens = float(rate)  # one second's units to start with
        self.last = now
        self.rate = rate
        self.capacity = float(rate)
        self.touched = now

    epoch = None

    def advance(self, now, rate, burst_seconds):
        self.touched = now
        self.capacity = float(rate) * max(1.0, burst_seconds)
        elapsed = now - self.last
        if elapsed > 0:
            self.tokens = min(self.capacity, self.tokens + rate * elapsed)
            self.last = now
        self.rate = rate
        if self.tokens > self.capacity:
            self.tokens = self.capacity

    def fits(self, units):
        return units <= self.tokens + 1e-9 or (units > self.capacity and self.tokens >= self.capacity - 1e-9)

    def take(self, units):
        self.tokens -= units

    def force(self, units):
        self.tokens -= units

    def give_back(self, units, epoch):
        self.tokens = min(self.capacity, self.tokens + units)

    def idle(self, now, burst_seconds):
        return now - self.touched > 1 + burst_seconds and self.tokens >= 0


class Limit:
    """A table's effective write limit and the throttling reason DynamoDB gives for it."""

    __slots__ = ("rate", "reason")

    def __init__(self, rate, reason):
        self.rate = rate
        self.reason = reason


class Grant:
    """Units granted to one request: per table (for the statistics) and per bucket (for refunds)."""

    __slots__ = ("second", "units", "taken")

    def __init__(self, second):
        self.second = second
        self.units = {}
        self.taken = []  # (bucket, units, epoch)

    def add(self, table, units):
        self.units[table] = self.units.get(table, 0) + units

    @property
    def total(self):
        return sum(self.units.values())


class CapacityManager:
    """All buckets plus the capacity settings (``table_wcu``, ``burst_seconds``, ``bucket``, ``key_wcu``)
    and the on-demand maxima that CreateTable/UpdateTable set."""

    def __init__(self, stats, table_wcu=None, burst_seconds=0.0, bucket="per-second", key_wcu=None,
                 throttling_reasons=True, clock=time.monotonic):
        self.lock = threading.Lock()
        self._stats = stats
        self._clock = clock
        self._start = clock()
        self._tables = {}
        self._keys = {}
        self._on_demand_max = {}
        self.table_wcu = dict(table_wcu or {})
        self.burst_seconds = float(burst_seconds)
        self.bucket = bucket
        self.key_wcu = key_wcu
        # Off: throttling errors carry no reasons, as DynamoDB answered before it had them.
        self.throttling_reasons = bool(throttling_reasons)

    # -- settings -------------------------------------------------------

    def settings(self):
        with self.lock:
            return {"table_wcu": dict(self.table_wcu), "burst_seconds": self.burst_seconds, "bucket": self.bucket,
                    "key_wcu": self.key_wcu, "throttling_reasons": self.throttling_reasons}

    def update(self, table_wcu=None, burst_seconds=None, bucket=None, key_wcu=_UNSET, throttling_reasons=None):
        with self.lock:
            if table_wcu:
                for table, wcu in table_wcu.items():
                    if wcu is None:
                        self.table_wcu.pop(table, None)
                    else:
                        self.table_wcu[table] = int(wcu)
            if burst_seconds is not None:
                self.burst_seconds = float(burst_seconds)
            if bucket is not None and bucket != self.bucket:
                self.bucket = bucket
                self._tables.clear()
                self._keys.clear()
            if key_wcu is not _UNSET:
                self.key_wcu = key_wcu
                self._keys.clear()
            if throttling_reasons is not None:
                self.throttling_reasons = bool(throttling_reasons)

    def set_on_demand_max(self, name, units):
        """Records a table's ``OnDemandThroughput.MaxWriteRequestUnits`` (None or -1: no maximum)."""
        with self.lock:
            if units is None or units < 1:
                self._on_demand_max.pop(name, None)
            else:
                self._on_demand_max[name] = int(units)

    def on_demand_max(self, name):
        with self.lock:
            return self._on_demand_max.get(name)

    # -- decisions ------------------------------------------------------

    def now(self):
        return self._clock() - self._start

    def second(self):
        return int(self.now())

    def limit_for(self, info):
        """The table's effective limit, or None when nothing limits it."""
        candidates = []
        if info.provisioned_wcu is not None:
            candidates.append(Limit(info.provisioned_wcu, REASON_PROVISIONED))
        else:
            maximum = self._on_demand_max.get(info.name)
            if maximum is not None:
                candidates.append(Limit(maximum, REASON_MAX_ON_DEMAND))
        override = self.table_wcu.get(info.name)
        if override is not None:
            candidates.append(Limit(override, REASON_PROVISIONED if info.provisioned_wcu is not None else REASON_ACCOUNT))
        return min(candidates, key=lambda limit: limit.rate) if candidates else None

    def wcu_for(self, info):
        """The table's write limit in units per second; None = unlimited."""
        with self.lock:
            limit = self.limit_for(info)
            return limit.rate if limit else None

    def _bucket(self, buckets, key, rate, now):
        bucket = buckets.get(key)
        if bucket is None:
            factory = ContinuousBucket if self.bucket == "continuous" else PerSecondBucket
            bucket = buckets[key] = factory(now, rate)
        bucket.advance(now, rate, self.burst_seconds)
        return bucket

    def _checks(self, info, partition, now):
        """The (bucket, reason) pairs one write must pass: the table's limit, then its key's."""
        checks = []
        limit = self.limit_for(info)
        if limit is not None:
            checks.append((self._bucket(self._tables, info.name, limit.rate, now), limit.reason))
        if self.key_wcu and partition is not None:
            checks.append((self._bucket(self._keys, (info.name, partition), self.key_wcu, now), REASON_KEY_RANGE))
        return checks

    def grant_each(self, requests):
        """Walk ``(table_info, units, partition_key)`` in order, granting each that fits.

        Returns ``(granted_flags, grant, reasons)``: ``reasons`` maps each refused table's
        name to the throttling reasons that refused its writes.
        """
        with self.lock:
            now = self.now()
            grant = Grant(int(now))
            flags, reasons = [], {}
            for info, units, partition in requests:
                checks = self._checks(info, partition, now)
                refusal = next((reason for bucket, reason in checks if not bucket.fits(units)), None)
                if refusal is None:
                    for bucket, _ in checks:
                        bucket.take(units)
                        grant.taken.append((bucket, units, bucket.epoch))
                    grant.add(info.name, units)
                else:
                    reasons.setdefault(info.name, set()).add(refusal)
                flags.append(refusal is None)
            self._record(grant)
            self._prune(now)
            return flags, grant, reasons

    def grant_all(self, per_table):
        """All-or-nothing grant of ``{name: (table_info, units, partition_keys)}``.

        Returns ``(grant, None)``, or ``(None, reasons)`` when it does not fit.
        """
        with self.lock:
            now = self.now()
            planned, reasons = [], {}
            for name, (info, units, partitions) in per_table.items():
                checks = self._checks(info, None, now)
                entries = [(bucket, reason, units) for bucket, reason in checks]
                if self.key_wcu:
                    for partition, key_units in partitions.items():
                        bucket = self._bucket(self._keys, (info.name, partition), self.key_wcu, now)
                        entries.append((bucket, REASON_KEY_RANGE, key_units))
                for bucket, reason, needed in entries:
                    if not bucket.fits(needed):
                        reasons.setdefault(name, set()).add(reason)
                planned += entries
            if reasons:
                return None, reasons
            grant = Grant(int(now))
            for bucket, _, needed in planned:
                bucket.take(needed)
                grant.taken.append((bucket, needed, bucket.epoch))
            for name, (info, units, _) in per_table.items():
                grant.add(name, units)
            self._record(grant)
            return grant, None

    def forget(self, name):
        """Drop a table's buckets and maximum (the table was deleted or re-created)."""
        if isinstance(name, str):
            with self.lock:
                self._tables.pop(name, None)
                self._on_demand_max.pop(name, None)
                for key in [key for key in self._keys if key[0] == name]:
                    del self._keys[key]

    def charge_extra(self, info, units, grant, partition=None):
        """Charge units discovered after the write (never refused)."""
        if units <= 0:
            return
        with self.lock:
            now = self.now()
            for bucket, _ in self._checks(info, partition, now):
                bucket.force(units)
            extra = Grant(int(now))
            extra.add(info.name, units)
            grant.add(info.name, units)
            self._record(extra)

    def refund(self, grant):
        """Undo a grant whose write did not happen (per-second buckets only within the same second)."""
        if grant is None or not grant.units:
            return
        with self.lock:
            for bucket, units, epoch in grant.taken:
                bucket.give_back(units, epoch)
            self._stats.record_units(grant.second, grant.units, sign=-1)

    def _prune(self, now):
        if len(self._keys) > 20_000:
            for key in [key for key, bucket in self._keys.items() if bucket.idle(now, self.burst_seconds)]:
                del self._keys[key]

    def _record(self, grant):
        if grant.units:
            self._stats.record_units(grant.second, grant.units)
