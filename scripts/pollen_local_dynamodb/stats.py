"""Counters served at ``GET /_pollen/stats``.

Tests and benchmarks check what the server did (units granted per second,
throttles, faults) rather than trusting what the client believes happened.
"""

import threading

WINDOW_SECONDS = 60


class Stats:
    """Thread-safe counters; ``snapshot`` renders the documented JSON shape."""

    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self):
        with self._lock:
            self.requests = 0
            self.by_operation = {}
            self.throttled = 0
            self.throttled_by_table = {}
            self.throttled_by_reason = {}
            self.unprocessed = 0
            self.unprocessed_by_table = {}
            self.unprocessed_responses_by_table = {}
            self.internal_errors = 0
            self.resets = 0
            self.validation_errors = 0
            self.consumed = {}
            self.per_second = {}      # table -> {second: units}
            self.items_written = {}
            self.writes_by_key = {}   # table -> {item key: puts of it}

    @staticmethod
    def _bump(mapping, key, n=1):
        mapping[key] = mapping.get(key, 0) + n

    def request(self, operation):
        with self._lock:
            self.requests += 1
            self._bump(self.by_operation, operation)

    def throttle(self, tables, reasons=()):
        with self._lock:
            self.throttled += 1
            for table in tables:
                self._bump(self.throttled_by_table, table)
            for reason in reasons:
                self._bump(self.throttled_by_reason, reason)

    def unprocessed_items(self, table, n):
        """``n`` items of one BatchWriteItem response left unprocessed in ``table``."""
        with self._lock:
            self.unprocessed += n
            self._bump(self.unprocessed_by_table, table, n)
            self._bump(self.unprocessed_responses_by_table, table)

    def internal_error(self):
        with self._lock:
            self.internal_errors += 1

    def reset(self):
        with self._lock:
            self.resets += 1

    def validation_error(self):
        with self._lock:
            self.validation_errors += 1

    def written(self, counts, keys=None):
        """Items written per table; ``keys`` maps tables to the keys of the items (each put counted)."""
        with self._lock:
            for table, n in counts.items():
                self._bump(self.items_written, table, n)
            for table, written in (keys or {}).items():
                by_key = self.writes_by_key.setdefault(table, {})
                for key in written:
                    self._bump(by_key, key)

    def record_units(self, second, units_by_table, sign=1):
        with self._lock:
            for table, units in units_by_table.items():
                self._bump(self.consumed, table, sign * units)
                seconds = self.per_second.get(table)
                if seconds is None:
                    seconds = self.per_second[table] = {}
                value = seconds.get(second, 0) + sign * units
                if value > 0:
                    seconds[second] = value
                else:
                    seconds.pop(second, None)
                if len(seconds) > 2 * WINDOW_SECONDS:
                    for old in [s for s in seconds if s <= second - WINDOW_SECONDS]:
                        del seconds[old]

    def snapshot(self, now_second):
        with self._lock:
            oldest = now_second - WINDOW_SECONDS + 1
            units_per_second = {}
            max_per_second = {}
            for table, seconds in self.per_second.items():
                recent = sorted((s, u) for s, u in seconds.items() if s >= oldest)
                units_per_second[table] = [[s, u] for s, u in recent]
                max_per_second[table] = max((u for _, u in recent), default=0)
            return {
                "requests": self.requests,
                "requestsByOperation": dict(self.by_operation),
                "throttledRequests": self.throttled,
                "throttledByTable": dict(self.throttled_by_table),
                "throttledByReason": dict(self.throttled_by_reason),
                "unprocessedItems": self.unprocessed,
                "unprocessedByTable": dict(self.unprocessed_by_table),
                "unprocessedResponsesByTable": dict(self.unprocessed_responses_by_table),
                "internalErrors": self.internal_errors,
                "resets": self.resets,
                "validationErrors": self.validation_errors,
                "consumedUnits": dict(self.consumed),
                "unitsPerSecond": units_per_second,
                "maxUnitsPerSecond": max_per_second,
                "itemsWritten": dict(self.items_written),
                # How many items were written, and how many of them more than once (a fleet of
                # runs must write each once, apart from re-sends of unacknowledged batches).
                "distinctKeysWritten": {t: len(k) for t, k in self.writes_by_key.items()},
                "keysWrittenMoreThanOnce": {t: sum(1 for n in k.values() if n > 1) for t, k in self.writes_by_key.items()},
                "second": now_second,
            }
