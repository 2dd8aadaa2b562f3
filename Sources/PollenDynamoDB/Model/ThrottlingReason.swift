/// Why DynamoDB throttled a request, as its throttling errors now say
/// (`ProvisionedThroughputExceededException.ThrottlingReasons`,
/// `ThrottlingException.throttlingReasons`): `ResourceType + OperationType + LimitType`, e.g.
/// `TableWriteKeyRangeThroughputExceeded`, and the ARN of the table or index it concerns.
///
/// The limit type tells a client what to do: slow the table (provisioned), slow one partition
/// key (key range), or stop probing above what was granted (account, on-demand maximum).
public struct ThrottlingReason: Sendable, Equatable, Hashable, Codable {
    /// Which of DynamoDB's limits refused the request.
    public enum Limit: String, Sendable, Codable, CaseIterable {
        /// The table's or index's provisioned capacity.
        case provisioned = "ProvisionedThroughputExceeded"
        /// A partition key value's share (a hot key).
        case keyRange = "KeyRangeThroughputExceeded"
        /// The account's per-table quota for on-demand tables.
        case accountLimit = "AccountLimitExceeded"
        /// The on-demand table's configured `OnDemandThroughput` maximum.
        case maxOnDemand = "MaxOnDemandThroughputExceeded"
    }

    /// DynamoDB's text, e.g. `TableWriteKeyRangeThroughputExceeded`.
    public var reason: String
    /// The ARN of the throttled table or index.
    public var resource: String?

    public init(reason: String, resource: String? = nil) {
        self.reason = reason
        self.resource = resource
    }

    /// The limit named by the reason, or `nil` for a reason this client does not know.
    public var limit: Limit? { Limit.allCases.first { reason.hasSuffix($0.rawValue) } }
    /// Whether an index (not the table itself) was throttled.
    public var isIndex: Bool { reason.hasPrefix("Index") }
    /// Whether writes (not reads) were throttled.
    public var isWrite: Bool { reason.dropFirst(5).hasPrefix("Write") }  // after "Table" or "Index"
}
