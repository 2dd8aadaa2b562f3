"""DynamoDB error responses.

Clients (botocore, the Swift SDK) decide what to retry from the ``__type`` of
the JSON error body, so errors produced here use DynamoDB's exact type names,
status codes and messages.
"""

import json

JSON_CONTENT_TYPE = "application/x-amz-json-1.0"
TYPE_PREFIX = "com.amazonaws.dynamodb.v20120810#"

THROUGHPUT_EXCEEDED_MESSAGE = (
    "The level of configured provisioned throughput for the table was exceeded. "
    "Consider increasing your provisioning level with the UpdateTable API."
)


class DynamoError(Exception):
    """An error answered to the client as DynamoDB would answer it."""

    def __init__(self, status, error_type, message, namespace=None):
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.prefix = namespace + "#" if namespace else TYPE_PREFIX

    def body(self):
        return json.dumps(
            {"__type": self.prefix + self.error_type, "message": self.message},
            separators=(",", ":"),
        ).encode("utf-8")


def validation_error(message):
    return DynamoError(400, "ValidationException", message)


def throughput_exceeded():
    return DynamoError(400, "ProvisionedThroughputExceededException", THROUGHPUT_EXCEEDED_MESSAGE)


def expired_token():
    return DynamoError(400, "ExpiredTokenException", "The security token included in the request is expired",
                       namespace="com.amazon.coral.service")


def internal_server_error():
    return DynamoError(500, "InternalServerError", "Internal server error")


def resource_not_found(message="Requested resource not found"):
    return DynamoError(400, "ResourceNotFoundException", message)
