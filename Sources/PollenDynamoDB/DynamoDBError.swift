import PollenHTTP

/// Every way a DynamoDB call can fail, classified by what the caller should do about it.
///
/// Error codes come from the `__type` of DynamoDB's error body (the part after `#`), its
/// message from `message` or `Message`. Messages are cleaned of quoted request values, so
/// that an error never carries item contents into a log or report.
public struct DynamoDBError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is, which decides whether and how to retry.
    public enum Category: String, Sendable, Codable {
        /// The table or account is over its capacity: back off, then retry.
        case throttling
        /// A server or network fault that the same request may not meet again: retry.
        case transient
        /// The endpoint cannot be reached at all (DNS, refused connection, TLS).
        case connection
        /// The request itself is wrong or not allowed: retrying cannot help.
        case client
        /// The credentials are unknown, expired or the signature is wrong: nothing will work.
        case authentication
    }

    /// One reason a transaction was cancelled, per action, in order.
    public struct CancellationReason: Sendable, Equatable, Decodable {
        public var code: String
        public var message: String?

        public init(code: String, message: String? = nil) {
            self.code = code
            self.message = message
        }

        private enum CodingKeys: String, CodingKey { case code = "Code", message = "Message" }
    }

    public let category: Category
    /// DynamoDB's error code (`ValidationException`), or a transport code (`ConnectionReset`).
    public let code: String
    public let message: String
    public let operation: String
    public let tables: [String]
    public let httpStatus: Int?
    public let requestID: String?
    public let cancellationReasons: [CancellationReason]
    /// Why a throttling error throttled (empty when DynamoDB did not say).
    public let throttlingReasons: [ThrottlingReason]
    /// Whether the request may have been applied although no answer arrived (reset, timeout).
    public let mayHaveBeenApplied: Bool
    /// The item as it was when a conditional write was refused, if the request asked for it
    /// (`ReturnValuesOnConditionCheckFailure`). Data: never part of the description.
    public let item: Item?

    public init(category: Category, code: String, message: String, operation: String, tables: [String] = [],
                httpStatus: Int? = nil, requestID: String? = nil, cancellationReasons: [CancellationReason] = [],
                throttlingReasons: [ThrottlingReason] = [], mayHaveBeenApplied: Bool = false, item: Item? = nil) {
        self.category = category
        self.code = code
        self.message = KnownSecrets.redacted(Self.redactingValues(in: message))
        self.operation = operation
        self.tables = tables
        self.httpStatus = httpStatus
        self.requestID = requestID
        self.cancellationReasons = cancellationReasons
        self.throttlingReasons = throttlingReasons
        self.mayHaveBeenApplied = mayHaveBeenApplied
        self.item = item
    }

    /// Whether sending the same request again may succeed.
    public var isRetryable: Bool {
        switch category {
        case .throttling, .transient, .connection: return true
        case .client, .authentication: return false
        }
    }

    public var description: String {
        let target = tables.isEmpty ? operation : "\(operation) on \(tables.joined(separator: ", "))"
        var text = "\(target) failed: \(code)"
        if !message.isEmpty { text += ": \(message)" }
        if !cancellationReasons.isEmpty {
            text += " (reasons: \(cancellationReasons.map(\.code).joined(separator: ", ")))"
        }
        if !throttlingReasons.isEmpty {
            text += " (\(throttlingReasons.map(\.reason).joined(separator: ", ")))"
        }
        return text
    }

    /// The category of a DynamoDB error code returned with HTTP `status`.
    public static func category(code: String, status: Int) -> Category {
        switch code {
        case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
             "TooManyRequestsException":
            return .throttling
        case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException", "ExpiredToken",
             "IncompleteSignatureException", "MissingAuthenticationTokenException", "InvalidClientTokenId",
             "SignatureDoesNotMatch":
            return .authentication
        case "InternalServerError", "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException",
             "TransactionInProgressException":
            return .transient
        default:
            return status >= 500 ? .transient : .client
        }
    }

    /// The error that a transport failure stands for.
    static func transport(_ error: HTTPTransportError, operation: String, tables: [String]) -> DynamoDBError {
        let (category, code, applied): (Category, String, Bool) = switch error {
        case .connectionReset: (.transient, "ConnectionReset", true)
        case .timedOut: (.transient, "Timeout", true)
        case .connectFailed: (.connection, "ConnectFailed", false)
        case .unresolvableHost: (.connection, "UnresolvableHost", false)
        case .tlsFailure: (.connection, "TLSFailure", false)
        case .invalidRequest: (.client, "InvalidRequest", false)
        case .cancelled: (.client, "Cancelled", false)
        case .other: (.transient, "TransportError", true)
        }
        return DynamoDBError(category: category, code: code, message: error.description, operation: operation,
                             tables: tables, mayHaveBeenApplied: applied)
    }

    /// Replaces quoted request values (`Value '…' at 'requestItems'`) that DynamoDB echoes
    /// in validation messages.
    static func redactingValues(in message: String) -> String {
        // One forward pass: each search starts where the last one ended, so this is linear
        // in the message, and `value '` is matched in either case wherever it comes first.
        var result = ""
        var rest = Substring(message)
        while let start = rest.range(of: "value '", options: .caseInsensitive) {
            result += rest[..<start.upperBound]
            let afterQuote = rest[start.upperBound...]
            guard let end = afterQuote.range(of: "' at ") else {
                return result + "…'"
            }
            result += "…"
            rest = afterQuote[end.lowerBound...]
        }
        return result + rest
    }
}
