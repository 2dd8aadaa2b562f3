"""The ``x-amz-crc32`` response header.

Real DynamoDB sends the CRC32 of the exact response body and SDKs verify it,
so every DynamoDB response leaving this server carries one that matches the
bytes actually sent (including bodies rewritten here).
"""

import zlib


def crc32_header(body):
    """Return the header value (unsigned decimal) for ``body`` (bytes)."""
    return str(zlib.crc32(body) & 0xFFFFFFFF)
