"""The admin API under ``/_pollen/``.

Lets a test or benchmark change faults and capacity while the server runs and
read back what the server did:

- ``GET  /_pollen/faults``       current settings
- ``POST /_pollen/faults``       change some settings (JSON), returns all of them
- ``GET  /_pollen/stats``        counters (see :mod:`stats`)
- ``POST /_pollen/stats/reset``  zero the counters
- ``GET  /_pollen/health``       ``{"status": "ok"}``
"""

import json

from .capacity import BUCKET_MODELS

RATE_KEYS = ("error_rate", "reset_rate")
NON_NEGATIVE_KEYS = ("latency_ms", "latency_jitter_ms", "burst_seconds", "fail_next")
BOOLEAN_KEYS = ("expired_credentials", "throttling_reasons")
KNOWN_KEYS = frozenset(RATE_KEYS + NON_NEGATIVE_KEYS + BOOLEAN_KEYS + ("seed", "table_wcu", "bucket", "key_wcu"))
CAPACITY_KEYS = ("burst_seconds", "throttling_reasons")


class BadRequest(Exception):
    pass


def _number(key, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadRequest(f"{key} must be a number")
    return value


def parse_settings(payload):
    """Validate a settings object; returns the keyword arguments for the updates."""
    if not isinstance(payload, dict):
        raise BadRequest("the body must be a JSON object")
    unknown = sorted(set(payload) - KNOWN_KEYS)
    if unknown:
        raise BadRequest(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(sorted(KNOWN_KEYS))}")
    faults, capacity = {}, {}
    for key in RATE_KEYS:
        if key in payload:
            value = _number(key, payload[key])
            if not 0 <= value <= 1:
                raise BadRequest(f"{key} must be between 0 and 1")
            faults[key] = value
    for key in NON_NEGATIVE_KEYS:
        if key in payload:
            value = _number(key, payload[key])
            if value < 0:
                raise BadRequest(f"{key} must not be negative")
            (capacity if key in CAPACITY_KEYS else faults)[key] = value
    for key in BOOLEAN_KEYS:
        if key in payload:
            if not isinstance(payload[key], bool):
                raise BadRequest(f"{key} must be true or false")
            (capacity if key in CAPACITY_KEYS else faults)[key] = payload[key]
    if "bucket" in payload:
        if payload["bucket"] not in BUCKET_MODELS:
            raise BadRequest(f"bucket must be one of {', '.join(BUCKET_MODELS)}")
        capacity["bucket"] = payload["bucket"]
    if "key_wcu" in payload:
        key_wcu = payload["key_wcu"]
        if key_wcu is not None and (isinstance(key_wcu, bool) or not isinstance(key_wcu, int) or key_wcu < 1):
            raise BadRequest("key_wcu must be a positive integer or null")
        capacity["key_wcu"] = key_wcu
    if "seed" in payload:
        seed = payload["seed"]
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise BadRequest("seed must be an integer or null")
        faults["seed"] = seed
        faults["reseed"] = True
    if "table_wcu" in payload:
        table_wcu = payload["table_wcu"]
        if not isinstance(table_wcu, dict):
            raise BadRequest("table_wcu must be an object of table name -> units (null removes)")
        for table, wcu in table_wcu.items():
            if wcu is None:
                continue
            if isinstance(wcu, bool) or not isinstance(wcu, int) or wcu < 1:
                raise BadRequest(f"table_wcu[{table}] must be a positive integer or null")
        capacity["table_wcu"] = table_wcu
    return faults, capacity


class Admin:
    """Answers ``/_pollen/`` requests with ``(status, json_bytes)``."""

    def __init__(self, capacity, faults, stats):
        self.capacity = capacity
        self.faults = faults
        self.stats = stats

    def settings(self):
        settings = self.faults.settings()
        settings.update(self.capacity.settings())
        return settings

    def __call__(self, environ):
        path = environ.get("PATH_INFO", "").rstrip("/")
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if path == "/_pollen/faults":
                if method == "GET":
                    return self._ok(self.settings())
                if method == "POST":
                    faults, capacity = parse_settings(self._read_json(environ))
                    self.faults.update(**faults)
                    self.capacity.update(**capacity)
                    return self._ok(self.settings())
                return self._error(405, "use GET or POST")
            if path == "/_pollen/stats":
                if method == "GET":
                    return self._ok(self.stats.snapshot(self.capacity.second()))
                return self._error(405, "use GET")
            if path == "/_pollen/stats/reset":
                if method == "POST":
                    self.stats.clear()
                    return self._ok(self.stats.snapshot(self.capacity.second()))
                return self._error(405, "use POST")
            if path == "/_pollen/health":
                return self._ok({"status": "ok"})
            return self._error(404, f"no admin endpoint {path}")
        except BadRequest as error:
            return self._error(400, str(error))

    @staticmethod
    def _read_json(environ):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        if not raw.strip():
            return {}
        try:
            return json.loads(raw)
        except ValueError as error:
            raise BadRequest(f"invalid JSON: {error}")

    @staticmethod
    def _ok(payload):
        return 200, json.dumps(payload).encode("utf-8")

    @staticmethod
    def _error(status, message):
        return status, json.dumps({"error": message}).encode("utf-8")
