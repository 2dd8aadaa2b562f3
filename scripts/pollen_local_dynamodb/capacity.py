"""Per-table write capacity: a token bucket with discrete, per-second refill.

Each wall-clock second (counted on the server's monotonic clock from start-up)
a table may be granted at most WCU units, plus a burst pool holding the unused
units of past seconds up to ``WCU x burst_seconds`` (0 by default, so a run is
repeatable). One item needing more than a whole second's units is granted when
the current second is untouched; the excess becomes a debt repaid by the
following seconds. Grants are decided under one lock and recorded in the
statistics under it, so concurrent requests can never spend the same units.
"""

import threading
import time


class TokenBucket:
    """The capacity state of one table."""

    __slots__ = ("second", "allowance", "burst", "used")

    def __init__(self, second, wcu):
        self.second = second      # the second the fields below describe
        self.allowance = wcu      # units left in this second (negative: debt)
        self.burst = 0            # accumulated unused units of past seconds
        self.used = 0             # units granted in this second

    def advance(self, second, wcu, cap):
        """Roll the state forward to ``second``."""
        steps = second - self.second
        if steps > 0:
            allowance, burst = self.allowance, self.burst
            for _ in range(steps):
                if allowance > 0:
                    burst = min(cap, burst + allowance)
                    allowance = wcu
                else:
                    allowance += wcu
                if allowance >= wcu and burst >= cap:
                    break  # steady state: further idle seconds change nothing
            self.allowance, self.burst = allowance, burst
            self.second = second
            self.used = 0
        if self.allowance > wcu:  # WCU lowered at run time
            self.allowance = wcu
        if self.burst > cap:
            self.burst = cap

    def try_take(self, units, wcu):
        """Take ``units`` if they fit (already advanced); return whether granted."""
        allowance = self.allowance if self.allowance > 0 else 0
        if units <= allowance + self.burst:
            from_second = units if units <= allowance else allowance
            self.allowance -= from_second
            self.burst -= units - from_second
            self.used += units
            return True
        if self.used == 0 and self.allowance >= wcu:
            # An item larger than a whole second: allowed into an untouched
            # second, the rest is owed by the next seconds.
            rest = units - self.burst
            self.burst = 0
            self.allowance -= rest
            self.used += units
            return True
        return False

    def force(self, units):
        """Charge units that were already spent (e.g. an update that grew an item)."""
        self.allowance -= units
        self.used += units

    def give_back(self, units, wcu):
        """Return units granted earlier in this same second."""
        self.used -= units
        self.allowance += units
        if self.allowance > wcu:
            self.burst += self.allowance - wcu
            self.allowance = wcu


class Grant:
    """Units granted to one request, per table, in one second (for refunds)."""

    __slots__ = ("second", "units")

    def __init__(self, second):
        self.second = second
        self.units = {}

    def add(self, table, units):
        self.units[table] = self.units.get(table, 0) + units

    @property
    def total(self):
        return sum(self.units.values())


class CapacityManager:
    """All tables' buckets plus the capacity settings (``table_wcu``, ``burst_seconds``)."""

    def __init__(self, stats, table_wcu=None, burst_seconds=0.0, clock=time.monotonic):
        self.lock = threading.Lock()
        self._stats = stats
        self._clock = clock
        self._start = clock()
        self._buckets = {}
        self.table_wcu = dict(table_wcu or {})
        self.burst_seconds = float(burst_seconds)

    # -- settings -------------------------------------------------------

    def settings(self):
        with self.lock:
            return {"table_wcu": dict(self.table_wcu), "burst_seconds": self.burst_seconds}

    def update(self, table_wcu=None, burst_seconds=None):
        with self.lock:
            if table_wcu:
                for table, wcu in table_wcu.items():
                    if wcu is None:
                        self.table_wcu.pop(table, None)
                    else:
                        self.table_wcu[table] = int(wcu)
            if burst_seconds is not None:
                self.burst_seconds = float(burst_seconds)

    # -- decisions ------------------------------------------------------

    def second(self):
        return int(self._clock() - self._start)

    def wcu_for(self, table_info):
        """The table's WCU: ``--table-wcu`` first, else provisioned; None = unlimited."""
        return self.table_wcu.get(table_info.name, table_info.provisioned_wcu)

    def _bucket(self, name, wcu, second):
        bucket = self._buckets.get(name)
        if bucket is None:
            bucket = self._buckets[name] = TokenBucket(second, wcu)
        bucket.advance(second, wcu, int(wcu * self.burst_seconds))
        return bucket

    def grant_each(self, requests):
        """Walk ``(table_info, units)`` in order, granting each that fits.

        Returns ``(granted_flags, grant)``.
        """
        with self.lock:
            second = self.second()
            grant = Grant(second)
            flags = []
            for info, units in requests:
                wcu = self.wcu_for(info)
                ok = True
                if wcu is not None:
                    ok = self._bucket(info.name, wcu, second).try_take(units, wcu)
                if ok:
                    grant.add(info.name, units)
                flags.append(ok)
            self._record(grant)
            return flags, grant

    def grant_all(self, per_table):
        """All-or-nothing grant of ``{name: (table_info, units)}``; None when it does not fit."""
        with self.lock:
            second = self.second()
            limited = []
            for name, (info, units) in per_table.items():
                wcu = self.wcu_for(info)
                if wcu is not None:
                    limited.append((self._bucket(name, wcu, second), units, wcu))
            # Check every table before taking from any.
            for bucket, units, wcu in limited:
                allowance = bucket.allowance if bucket.allowance > 0 else 0
                fits = units <= allowance + bucket.burst or (bucket.used == 0 and bucket.allowance >= wcu)
                if not fits:
                    return None
            for bucket, units, wcu in limited:
                bucket.try_take(units, wcu)
            grant = Grant(second)
            for name, (info, units) in per_table.items():
                grant.add(name, units)
            self._record(grant)
            return grant

    def forget(self, name):
        """Drop a table's bucket (the table was deleted or re-created)."""
        if isinstance(name, str):
            with self.lock:
                self._buckets.pop(name, None)

    def charge_extra(self, info, units, grant):
        """Charge units discovered after the write (never refused)."""
        if units <= 0:
            return
        with self.lock:
            second = self.second()
            wcu = self.wcu_for(info)
            if wcu is not None:
                self._bucket(info.name, wcu, second).force(units)
            extra = Grant(second)
            extra.add(info.name, units)
            grant.add(info.name, units)
            self._record(extra)

    def refund(self, infos, grant):
        """Undo a grant whose write did not happen (units go back if still in that second)."""
        if grant is None or not grant.units:
            return
        with self.lock:
            second = self.second()
            for name, units in grant.units.items():
                info = infos.get(name)
                wcu = self.wcu_for(info) if info is not None else None
                bucket = self._buckets.get(name)
                if wcu is not None and bucket is not None and second == grant.second == bucket.second:
                    bucket.give_back(units, wcu)
            self._stats.record_units(grant.second, grant.units, sign=-1)

    def _record(self, grant):
        if grant.units:
            self._stats.record_units(grant.second, grant.units)
