import Foundation

/// DynamoDB's JSON error body: `{"__type": "com.amazonaws.dynamodb.v20120810#Code", "message": "..."}`.
struct ErrorBody: Decodable {
    var type: String?
    var lowercaseMessage: String?
    var uppercaseMessage: String?
    var cancellationReasons: [DynamoDBError.CancellationReason]?

    private enum CodingKeys: String, CodingKey {
        case type = "__type", lowercaseMessage = "message", uppercaseMessage = "Message"
        case cancellationReasons = "CancellationReasons"
    }

    /// The error code: the part of `__type` after `#`.
    var code: String? {
        guard let type, !type.isEmpty else { return nil }
        return type.split(separator: "#").last.map(String.init)
    }

    var message: String { lowercaseMessage ?? uppercaseMessage ?? "" }
}
