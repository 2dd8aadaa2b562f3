"""Fault injection: InternalServerError, latency, dropped connections and expired credentials.

Every DynamoDB request draws the same three numbers from one seeded
``random.Random``, whatever the settings, so the same seed and the same request
sequence give the same faults, and changing one setting does not shift the
pattern of the others.
"""

import random
import threading
from collections import namedtuple

Decision = namedtuple("Decision", "error delay reset")

NO_FAULT = Decision(False, 0.0, False)


class FaultInjector:
    """The fault settings and the random sequence they are drawn from."""

    def __init__(self, error_rate=0.0, latency_ms=0.0, latency_jitter_ms=0.0, reset_rate=0.0, seed=0):
        self._lock = threading.Lock()
        # While set, every DynamoDB request is refused as DynamoDB refuses an expired session token.
        self.expired_credentials = False
        self.error_rate = float(error_rate)
        self.latency_ms = float(latency_ms)
        self.latency_jitter_ms = float(latency_jitter_ms)
        self.reset_rate = float(reset_rate)
        # The next this many DynamoDB requests answer InternalServerError, whatever the rates.
        self.fail_next = 0
        self.seed = seed
        self._rng = random.Random(seed)

    def settings(self):
        with self._lock:
            return {
                "error_rate": self.error_rate,
                "latency_ms": self.latency_ms,
                "latency_jitter_ms": self.latency_jitter_ms,
                "reset_rate": self.reset_rate,
                "seed": self.seed,
                "expired_credentials": self.expired_credentials,
                "fail_next": self.fail_next,
            }

    def update(self, error_rate=None, latency_ms=None, latency_jitter_ms=None, reset_rate=None,
               seed=None, reseed=False, expired_credentials=None, fail_next=None):
        with self._lock:
            if fail_next is not None:
                self.fail_next = int(fail_next)
            if expired_credentials is not None:
                self.expired_credentials = bool(expired_credentials)
            if error_rate is not None:
                self.error_rate = float(error_rate)
            if latency_ms is not None:
                self.latency_ms = float(latency_ms)
            if latency_jitter_ms is not None:
                self.latency_jitter_ms = float(latency_jitter_ms)
            if reset_rate is not None:
                self.reset_rate = float(reset_rate)
            if reseed:
                self.seed = seed
                self._rng = random.Random(seed)

    def decide(self):
        """The faults for the next DynamoDB request."""
        with self._lock:
            rng = self._rng
            r_error, r_jitter, r_reset = rng.random(), rng.random(), rng.random()
            error = r_error < self.error_rate or self.fail_next > 0
            if self.fail_next > 0:
                self.fail_next -= 1
            delay_ms = self.latency_ms + r_jitter * self.latency_jitter_ms
            reset = (not error) and r_reset < self.reset_rate
        if not error and not reset and delay_ms <= 0:
            return NO_FAULT
        return Decision(error, delay_ms / 1000.0, reset)
