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

ON_DEMAND_THROTTLED_MESSAGE = (
    "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your "
    "table or index so please try again shortly. If exceptions persist, check if you have a hot key: "
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"
)


class DynamoError(Exception):
    """An error answered to the client as DynamoDB would answer it."""

    def __init__(self, status, error_type, message, namespace=None, fields=None):
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.prefix = namespace + "#" if namespace else TYPE_PREFIX
        self.fields = fields or {}

    def body(self):
        body = {"__type": self.prefix + self.error_type, "message": self.message}
        body.update(self.fields)
        return json.dumps(body, separators=(",", ":")).encode("utf-8")


def validation_error(message):
    return DynamoError(400, "ValidationException", message)


def throughput_exceeded(on_demand=False, reasons=()):
    """The throttling error DynamoDB answers: ``ProvisionedThroughputExceededException`` (with
    ``ThrottlingReasons``) for a provisioned table, ``ThrottlingException`` (with
    ``throttlingReasons``, lower-case t) for an on-demand one.

    ``reasons`` is a list of ``(reason, table_arn)``; empty leaves the field out, as DynamoDB
    did before it had reasons.
    """
    listed = [{"reason": reason, "resource": resource} for reason, resource in reasons]
    if on_demand:
        return DynamoError(400, "ThrottlingException", ON_DEMAND_THROTTLED_MESSAGE,
                           namespace="com.amazon.coral.availability",
                           fields={"throttlingReasons": listed} if listed else None)
    return DynamoError(400, "ProvisionedThroughputExceededException", THROUGHPUT_EXCEEDED_MESSAGE,
                       fields={"ThrottlingReasons": listed} if listed else None)


def expired_token():
    return DynamoError(400, "ExpiredTokenException", "The security token included in the request is expired",
                       namespace="com.amazon.coral.service")


def internal_server_error():
    return DynamoError(500, "InternalServerError", "Internal server error")


def resource_not_found(message="Requested resource not found"):
    return DynamoError(400, "ResourceNotFoundException", message)
