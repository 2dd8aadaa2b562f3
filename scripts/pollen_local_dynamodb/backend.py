"""Read-only access to moto's in-process DynamoDB state.

Key schemas (for duplicate detection), billing mode and provisioned WCU (for
throttling) and the size of existing items (for the units a delete or an
overwrite costs) come straight from moto's backend objects, looked up for the
same account and region moto itself would pick for the request.
"""

import os

from moto.core.responses import BaseResponse
from moto.dynamodb.models import dynamodb_backends

from .errors import resource_not_found
from .limits import KeySchema, item_size

_DEFAULT_REGION = "us-east-1"


def _account_for(environ):
    # Same precedence as moto's BaseResponse.get_current_account.
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    header = environ.get("HTTP_X_MOTO_ACCOUNT_ID")
    if header:
        return header
    from moto.iam.models import get_account_id_from

    access_key = "AKIAEXAMPLE"
    auth = environ.get("HTTP_AUTHORIZATION", "")
    match = BaseResponse.access_key_regex.search(auth)
    if match:
        access_key = match.group(1)
    return get_account_id_from(access_key)


def _region_for(environ):
    # Same precedence as moto's BaseResponse.get_region_from_url.
    host = environ.get("HTTP_HOST", "")
    match = BaseResponse.region_regex.search("http://" + host)
    if match:
        return match.group(1)
    match = BaseResponse.region_from_useragent_regex.search(environ.get("HTTP_USER_AGENT", ""))
    if match:
        return match.group(1)
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if "AWS4" in auth:
        try:
            return auth.split(",")[0].split("/")[2]
        except IndexError:
            pass
    return _DEFAULT_REGION


class TableInfo:
    """What Pollen's wrapper needs to know about one table."""

    __slots__ = ("name", "schema", "provisioned_wcu", "table", "arn")

    def __init__(self, table):
        self.table = table
        self.name = table.name
        self.arn = getattr(table, "table_arn", None) or f"arn:aws:dynamodb:us-east-1:123456789012:table/{table.name}"
        self.schema = KeySchema(
            table.hash_key_attr,
            getattr(table, "hash_key_type", None),
            table.range_key_attr,
            getattr(table, "range_key_type", None) if table.range_key_attr else None,
        )
        wcu = None
        if getattr(table, "billing_mode", "PROVISIONED") != "PAY_PER_REQUEST":
            try:
                wcu = int((table.throughput or {}).get("WriteCapacityUnits") or 0) or None
            except (TypeError, ValueError):
                wcu = None
        self.provisioned_wcu = wcu

    @property
    def on_demand(self):
        return self.provisioned_wcu is None

    def existing_size(self, key_attrs):
        """Size of the stored item with this key (0 when absent or the key is unusable)."""
        table = self.table
        try:
            from moto.dynamodb.models.dynamo_type import DynamoType

            hash_key = DynamoType(key_attrs[table.hash_key_attr])
            # table.items is a defaultdict: indexing a missing key would insert an empty
            # entry that moto later mistakes for an item, so only .get() is used here.
            if table.range_key_attr:
                range_key = DynamoType(key_attrs[table.range_key_attr])
                item = (table.items.get(hash_key) or {}).get(range_key)
            else:
                item = table.items.get(hash_key)
        except Exception:  # missing, malformed or concurrently removed
            return 0
        if item is None:
            return 0
        try:
            return item_size(item.to_json()["Attributes"])
        except Exception:
            return 0


class Backend:
    """The moto DynamoDB backend serving one request."""

    def __init__(self, environ):
        self._backend = dynamodb_backends[_account_for(environ)][_region_for(environ)]

    def table(self, name):
        """TableInfo for a table name or ARN; raises ResourceNotFoundException."""
        if not isinstance(name, str) or not name:
            raise resource_not_found()
        table = self._backend.tables.get(name)
        if table is None:
            for candidate in list(self._backend.tables.values()):
                if getattr(candidate, "table_arn", None) == name:
                    table = candidate
                    break
        if table is None:
            raise resource_not_found()
        return TableInfo(table)
