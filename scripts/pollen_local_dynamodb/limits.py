"""DynamoDB's request limits and item size rules.

moto accepts batches DynamoDB rejects (26 requests, duplicate keys, oversized
items, numbers DynamoDB cannot store) and stores a prefix of a batch that fails
half way. These checks run on the whole request before anything is forwarded,
so an invalid request stores nothing, and they use DynamoDB's item size rule,
which also drives the write units charged (see :func:`write_units`).
"""

import re
from collections import namedtuple

from .errors import validation_error

MAX_BATCH_WRITE_REQUESTS = 25
MAX_TRANSACT_ITEMS = 100
MAX_ITEM_BYTES = 409_600
UNIT_BYTES = 1024

ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size"
BATCH_DUPLICATES = "Provided list of item keys contains duplicates"
TRANSACT_DUPLICATES = "Transaction request cannot include multiple operations on one item"
KEY_MISMATCH = "The provided key element does not match the schema"
TOO_MANY_BATCH_ITEMS = "Too many items requested for the BatchWriteItem call"
NOT_A_NUMBER = "The parameter cannot be converted to a numeric value"
TOO_MANY_DIGITS = "Attempting to store more than 38 significant digits in a Number"
NUMBER_OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
NUMBER_UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range"

# DynamoDB's numbers: up to 38 significant digits, magnitude from 1E-130 to 9.99...9E+125
# (38 nines), or zero. The exponents are those of the first significant digit.
MAX_NUMBER_DIGITS = 38
MAX_NUMBER_EXPONENT = 125
MIN_NUMBER_EXPONENT = -130

KeySchema = namedtuple("KeySchema", "hash_name hash_type range_name range_type")

# One parsed write of a BatchWriteItem / TransactWriteItems request.
#   table: the table name as the client sent it; kind: put|delete|update|check;
#   request: the original JSON object (returned as-is in UnprocessedItems);
#   key: a hashable identity of the item; size: the item size for puts else None.
Write = namedtuple("Write", "table kind request key size")


# ---------------------------------------------------------------- numbers

# Sign, whole digits, fraction digits, exponent: "1.", ".5" and "+1e-3" are numbers to
# DynamoDB; NaN, Infinity, hex, "_" separators, whitespace and non-ASCII digits are not.
_NUMBER = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")


def _exponent(text):
    """The value of an exponent such as ``-05``; one of more than 18 digits leaves the range
    whatever the digits before it (a request has far fewer), so it stands for 10**18 there."""
    if text is None:
        return 0
    digits = text.lstrip("+-").lstrip("0")
    value = int(digits or "0") if len(digits) <= 18 else 10**18
    return -value if text.startswith("-") else value


def check_number(text):
    """Check an ``N`` value by DynamoDB's rules, raising its ValidationException if refused.

    Returns ``(negative, digits, exponent)``: the significant digits (leading and trailing
    zeros trimmed) and the power of ten of the first one, ``(False, "", 0)`` for zero and -0.
    """
    match = _NUMBER.fullmatch(text) if isinstance(text, str) else None
    if match is None or not (match[2] or match[3]):
        raise validation_error(f"{NOT_A_NUMBER}: {str(text)[:64]}")
    sign, whole, fraction, exponent = match.groups()
    fraction = fraction or ""
    mantissa = (whole + fraction).lstrip("0")
    digits = mantissa.rstrip("0")
    if not digits:
        return False, "", 0
    if len(digits) > MAX_NUMBER_DIGITS:
        raise validation_error(TOO_MANY_DIGITS)
    power = len(mantissa) - 1 - len(fraction) + _exponent(exponent)
    if power > MAX_NUMBER_EXPONENT:
        raise validation_error(NUMBER_OVERFLOW)
    if power < MIN_NUMBER_EXPONENT:
        raise validation_error(NUMBER_UNDERFLOW)
    return sign == "-", digits, power


def check_numbers(value):
    """Check every number of one AttributeValue: an ``N``, each ``NS`` element, and those
    inside ``M`` and ``L`` at any depth. Other malformed values are left to moto."""
    if not isinstance(value, dict):
        return
    for kind, v in value.items():
        if kind == "N":
            check_number(v)
        elif kind == "NS" and isinstance(v, list):
            for text in v:
                check_number(text)
        elif kind == "M" and isinstance(v, dict):
            for element in v.values():
                check_numbers(element)
        elif kind == "L" and isinstance(v, list):
            for element in v:
                check_numbers(element)


# ---------------------------------------------------------------- item size

def _number_size(text):
    """Bytes DynamoDB counts for a number: 1 per 2 significant digits, +1 (+1 if negative).

    Zero counts as one digit; -0 is zero, not a negative number (DynamoDB stores it as 0).
    """
    if text.isdigit():  # the common case: a plain non-negative integer
        count = len(text.strip("0")) or 1
        return (count + 1) // 2 + 1
    text = text.strip()
    mantissa = text.lstrip("+-").split("e")[0].split("E")[0]
    digits = mantissa.replace(".", "").strip("0")
    negative = text.startswith("-") and digits != ""
    count = len(digits) or 1
    return (count + 1) // 2 + 1 + (1 if negative else 0)


def _binary_size(b64):
    """Raw length of a base64-encoded binary value, without decoding it."""
    n = len(b64)
    if n == 0:
        return 0
    return n * 3 // 4 - b64.count("=", max(0, n - 2))


def value_size(value):
    """Size in bytes of one AttributeValue (``{"S": "..."}`` etc.) by DynamoDB's rules."""
    for kind, v in value.items():
        if kind == "S":
            return len(v.encode("utf-8")) if not v.isascii() else len(v)
        if kind == "N":
            return _number_size(v)
        if kind == "B":
            return _binary_size(v)
        if kind in ("BOOL", "NULL"):
            return 1
        if kind == "M":
            return 3 + sum(_name_size(k) + value_size(x) + 1 for k, x in v.items())
        if kind == "L":
            return 3 + sum(value_size(x) + 1 for x in v)
        if kind == "SS":
            return sum(len(s.encode("utf-8")) for s in v)
        if kind == "NS":
            return sum(_number_size(s) for s in v)
        if kind == "BS":
            return sum(_binary_size(s) for s in v)
        return 0
    return 0


def _name_size(name):
    return len(name) if name.isascii() else len(name.encode("utf-8"))


def item_size(item):
    """Size of an item (a map of attribute name -> AttributeValue)."""
    total = 0
    for name, value in item.items():
        total += len(name) if name.isascii() else len(name.encode("utf-8"))
        # Fast path for the common flat S / N attributes.
        s = value.get("S")
        if s is not None and len(value) == 1:
            total += len(s) if s.isascii() else len(s.encode("utf-8"))
            continue
        n = value.get("N")
        if n is not None and len(value) == 1:
            total += _number_size(n)
            continue
        total += value_size(value)
    return total


def write_units(size):
    """Write capacity units for one item write: ceil(size / 1 KB), at least 1."""
    return max(1, -(-size // UNIT_BYTES))


# ---------------------------------------------------------------- keys

def _canonical(kind, raw):
    """A key value as DynamoDB compares it: numbers by value, all 38 digits of them (``1.50``
    and ``15e-1`` are both ``15E0``, -0 is ``0``); a number DynamoDB cannot store raises its
    ValidationException."""
    if kind == "N":
        negative, digits, power = check_number(raw)
        return f"{'-' if negative else ''}{digits}E{power}" if digits else "0"
    return raw


def _key_part(value):
    if not isinstance(value, dict) or len(value) != 1:
        return None
    kind, raw = next(iter(value.items()))
    if not isinstance(raw, str):
        return None
    return kind, _canonical(kind, raw)


def item_key(schema, item):
    """The identity of a full item (PutRequest/Put), validating its key attributes."""
    parts = []
    for name, expected in ((schema.hash_name, schema.hash_type), (schema.range_name, schema.range_type)):
        if name is None:
            continue
        if name not in item:
            raise validation_error(f"One or more parameter values were invalid: Missing the key {name} in the item")
        part = _key_part(item[name])
        if part is None:
            raise validation_error(KEY_MISMATCH)
        if expected and part[0] != expected:
            raise validation_error(
                f"One or more parameter values were invalid: Type mismatch for key {name} "
                f"expected: {expected} actual: {part[0]}"
            )
        if part[1] == "" and part[0] in ("S", "B"):
            raise validation_error(
                "One or more parameter values are not valid. The AttributeValue for a key "
                f"attribute cannot contain an empty string value. Key: {name}"
            )
        parts.append(part)
    return tuple(parts)


def key_key(schema, key):
    """The identity of a Key map (DeleteRequest/Update/Delete/ConditionCheck)."""
    if not isinstance(key, dict):
        raise validation_error(KEY_MISMATCH)
    names = [n for n in (schema.hash_name, schema.range_name) if n is not None]
    if len(key) != len(names) or any(n not in key for n in names):
        raise validation_error(KEY_MISMATCH)
    parts = []
    for name, expected in ((schema.hash_name, schema.hash_type), (schema.range_name, schema.range_type)):
        if name is None:
            continue
        part = _key_part(key[name])
        if part is None or (expected and part[0] != expected):
            raise validation_error(KEY_MISMATCH)
        parts.append(part)
    return tuple(parts)


def check_item_size(item):
    """Return the item's size, raising DynamoDB's ValidationException for a number it cannot
    store (see :func:`check_number`) or when over 400 KB."""
    for value in item.values():
        check_numbers(value)
    size = item_size(item)
    if size > MAX_ITEM_BYTES:
        raise validation_error(ITEM_TOO_LARGE)
    return size


# ---------------------------------------------------------------- requests

def _java_list(prefix, count, start=0x10000000):
    # DynamoDB renders the offending value with Java's toString(); the ids are
    # object hashes there, here they are just distinct.
    return ", ".join(f"com.amazonaws.dynamodb.v20120810.{prefix}@{start + i + 1:x}" for i in range(count))


def validate_batch_write(request_items, schema_for):
    """Validate a whole BatchWriteItem ``RequestItems`` map.

    ``schema_for(table_name)`` returns the table's :class:`KeySchema` (or raises).
    Returns the list of :class:`Write` in request order; raises a
    ValidationException (a :class:`DynamoError`) on the first problem.
    """
    if not isinstance(request_items, dict):
        raise validation_error(
            "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: "
            "Member must not be null"
        )
    if not request_items:
        raise validation_error(
            "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1"
        )
    total = 0
    for table, requests in request_items.items():
        n = len(requests) if isinstance(requests, list) else 0
        if n < 1 or n > MAX_BATCH_WRITE_REQUESTS:
            rendered = ", ".join(
                f"{t}=[{_java_list('WriteRequest', len(r) if isinstance(r, list) else 0)}]"
                for t, r in request_items.items()
            )
            raise validation_error(
                f"1 validation error detected: Value '{{{rendered}}}' at 'requestItems' failed to satisfy "
                "constraint: Map value must satisfy constraint: [Member must have length less than or "
                "equal to 25, Member must have length greater than or equal to 1]"
            )
        total += n
    if total > MAX_BATCH_WRITE_REQUESTS:
        raise validation_error(TOO_MANY_BATCH_ITEMS)

    writes = []
    seen = set()
    for table, requests in request_items.items():
        schema = schema_for(table)
        for request in requests:
            if not isinstance(request, dict) or len(request) != 1:
                raise validation_error(
                    "Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest"
                )
            kind, body = next(iter(request.items()))
            if kind == "PutRequest" and isinstance(body, dict) and isinstance(body.get("Item"), dict):
                item = body["Item"]
                key = item_key(schema, item)
                size = check_item_size(item)
                writes.append(Write(table, "put", request, key, size))
            elif kind == "DeleteRequest" and isinstance(body, dict):
                key = key_key(schema, body.get("Key"))
                writes.append(Write(table, "delete", request, key, None))
            else:
                raise validation_error(
                    "Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest"
                )
            identity = (table, key)
            if identity in seen:
                raise validation_error(BATCH_DUPLICATES)
            seen.add(identity)
    return writes


_TRANSACT_KINDS = {"Put": "put", "Update": "update", "Delete": "delete", "ConditionCheck": "check"}


def validate_transact_write(transact_items, schema_for):
    """Validate TransactWriteItems: item count, per-item size, one operation per item.

    ``schema_for(table_name)`` returns the :class:`KeySchema` (or raises).
    Returns the list of :class:`Write` (``table`` is the TableName of each).
    """
    if not isinstance(transact_items, list) or not transact_items:
        raise validation_error(
            "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: "
            "Member must not be null"
        )
    if len(transact_items) > MAX_TRANSACT_ITEMS:
        raise validation_error(
            f"1 validation error detected: Value '[{_java_list('TransactWriteItem', len(transact_items))}]' "
            "at 'transactItems' failed to satisfy constraint: Member must have length less than or equal "
            "to 100, Member must have length greater than or equal to 1"
        )
    writes = []
    seen = set()
    for entry in transact_items:
        if not isinstance(entry, dict) or len(entry) != 1:
            raise validation_error("TransactItems can only contain one of Check, Put, Update or Delete")
        op, body = next(iter(entry.items()))
        kind = _TRANSACT_KINDS.get(op)
        if kind is None or not isinstance(body, dict):
            raise validation_error("TransactItems can only contain one of Check, Put, Update or Delete")
        table = body.get("TableName")
        schema = schema_for(table)
        size = None
        if kind == "put":
            item = body.get("Item")
            if not isinstance(item, dict):
                raise validation_error(KEY_MISMATCH)
            key = item_key(schema, item)
            size = check_item_size(item)
        else:
            key = key_key(schema, body.get("Key"))
        identity = (table, key)
        if identity in seen:
            raise validation_error(TRANSACT_DUPLICATES)
        seen.add(identity)
        writes.append(Write(table, kind, entry, key, size))
    return writes
