import Foundation

/// DynamoDB's JSON error body: `{"__type": "com.amazonaws.dynamodb.v20120810#Code", "message": "..."}`.
struct ErrorBody: Decodable {
    var type: String?
    var lowercaseMessage: String?
    var uppercaseMessage: String?
    var cancellationReasons: [DynamoDBError.CancellationReason]?
    /// `ProvisionedThroughputExceededException` and `RequestLimitExceeded` spell it with a capital T,
    /// `ThrottlingException` with a lower-case one.
    var throttlingReasons: [ThrottlingReason]?
    var lowercaseThrottlingReasons: [ThrottlingReason]?
    /// The item as it was, when a refused conditional write asked for it.
    var item: Item?

    private enum CodingKeys: String, CodingKey {
        case type = "__type", lowercaseMessage = "message", uppercaseMessage = "Message"
        case cancellationReasons = "CancellationReasons"
        case throttlingReasons = "ThrottlingReasons", lowercaseThrottlingReasons = "throttlingReasons"
        case item = "Item"
    }

    /// The error code: the part of `__type` after `#`.
    var code: String? {
        guard let type, !type.isEmpty else { return nil }
        return type.split(separator: "#").last.map(String.init)
    }

    var message: String { lowercaseMessage ?? uppercaseMessage ?? "" }

    var reasons: [ThrottlingReason] { throttlingReasons ?? lowercaseThrottlingReasons ?? [] }
}
