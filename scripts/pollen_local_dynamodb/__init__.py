"""A local DynamoDB for Pollen's tests, demos and benchmarks.

moto provides the storage and the API surface; this package wraps moto's WSGI
application so that the behaviour Pollen depends on matches real DynamoDB:
batch limits, the 400 KB item limit, ConsumedCapacity, per-table write
capacity (UnprocessedItems / ProvisionedThroughputExceededException), fault
injection and x-amz-crc32. Entry point: ``scripts/local-dynamodb``.
"""

__all__ = ["main"]


def main(argv=None):
    """Run the server (see :mod:`pollen_local_dynamodb.cli`)."""
    from .cli import main as _main

    return _main(argv)
